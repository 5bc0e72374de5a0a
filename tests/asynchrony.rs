//! The asyncio chapter: timings on tokio's paused clock (exact, instant),
//! the connection scope's guaranteed close over loopback TCP, the blocking
//! call that stalls a current-thread runtime (checked by event counts, not
//! by elapsed time), and the race across `.await` found by shuttle's async
//! executor, with its two fixes proved.

use std::io;
use std::time::Duration;

use racelab::asynchrony::blocking::{self, Wait};
use racelab::asynchrony::connection::{self, Connection, EchoServer, ScopeError, ServerEvent};
use racelab::asynchrony::edits::{scenario, Editor, Kept};
use racelab::asynchrony::{async_mutex::AsyncMutex, atomic_update::AtomicUpdate, await_race::AwaitRace, timer};
use racelab::explore::{Explorer, FailureKind, Scenario};

const SECOND: Duration = Duration::from_secs(1);
/// How long a check waits for a server event before it fails (not a
/// timing assertion: it turns a socket that never closes into a failure
/// instead of a hang).
const PATIENCE: Duration = Duration::from_secs(10);

// ---------------------------------------------------------------- timer

#[tokio::test(start_paused = true)]
async fn awaiting_fun1_then_fun2_takes_three_plus_three_seconds() {
    let t = timer::sequential(4.0, 3 * SECOND).await;
    assert_eq!((t.fun1.value, t.fun2.value), (16.0, 2.0));
    assert_eq!(t.fun1.elapsed, 3 * SECOND);
    assert_eq!(t.fun2.elapsed, 3 * SECOND);
    assert_eq!(t.total, 6 * SECOND);
}

#[tokio::test(start_paused = true)]
async fn fun1_and_fun2_as_tasks_take_three_seconds_together() {
    let t = timer::concurrent(4.0, 3 * SECOND).await.expect("both tasks finish");
    assert_eq!((t.fun1.value, t.fun2.value), (16.0, 2.0));
    assert_eq!(t.fun1.elapsed, 3 * SECOND);
    assert_eq!(t.fun2.elapsed, 3 * SECOND);
    assert_eq!(t.total, 3 * SECOND);
}

#[tokio::test(start_paused = true)]
async fn timed_measures_only_the_future_it_wraps() {
    tokio::time::sleep(SECOND).await;
    let t = timer::timed(tokio::time::sleep(2 * SECOND)).await;
    assert_eq!(t.elapsed, 2 * SECOND);
}

// ----------------------------------------------------------- connection

/// What the server sees from a client whose close ran.
fn closed_politely(echoed: &[&str]) -> Vec<ServerEvent> {
    let mut events = vec![ServerEvent::Opened];
    events.extend(echoed.iter().map(|l| ServerEvent::Echoed((*l).to_owned())));
    events.extend([ServerEvent::Goodbye, ServerEvent::Closed]);
    events
}

#[tokio::test]
async fn a_scope_that_succeeds_sends_and_receives_concurrently_then_closes() {
    let mut server = EchoServer::start().await.expect("bind loopback");
    let echo = connection::round_trip(server.addr(), "hello")
        .await
        .expect("round trip");
    assert_eq!(echo, "hello");
    assert_eq!(server.until_closed(PATIENCE).await, closed_politely(&["hello"]));
}

#[tokio::test]
async fn a_scope_whose_body_fails_still_closes_and_returns_the_error() {
    let mut server = EchoServer::start().await.expect("bind loopback");
    let result: Result<(), _> = connection::scope(server.addr(), async |conn: &mut Connection| {
        conn.sender.put_data("first").await?;
        conn.receiver.get_data().await?;
        Err(io::Error::other("the body gave up"))
    })
    .await;
    match result {
        Err(ScopeError::Body(e)) => assert_eq!(e.to_string(), "the body gave up"),
        other => panic!("expected the body's error, got {other:?}"),
    }
    assert_eq!(server.until_closed(PATIENCE).await, closed_politely(&["first"]));
}

#[tokio::test]
async fn a_scope_whose_body_panics_still_closes_then_resumes_the_panic() {
    let mut server = EchoServer::start().await.expect("bind loopback");
    let addr = server.addr();
    // The scope runs as a task, so its panic comes back as a JoinError.
    let task = tokio::spawn(async move {
        connection::scope(addr, async |conn: &mut Connection| {
            conn.sender.put_data("before the panic").await?;
            let echoed = conn.receiver.get_data().await?;
            assert!(echoed.is_empty(), "the body panicked");
            Ok::<(), io::Error>(())
        })
        .await
    });
    let joined = task.await;
    let panic = joined.expect_err("the panic is resumed after the close");
    assert!(panic.is_panic());
    let payload = panic.into_panic();
    let message = payload
        .downcast_ref::<&str>()
        .map(|s| (*s).to_owned())
        .or_else(|| payload.downcast_ref::<String>().cloned());
    assert_eq!(message.as_deref(), Some("the body panicked"));
    assert_eq!(
        server.until_closed(PATIENCE).await,
        closed_politely(&["before the panic"])
    );
}

#[tokio::test]
async fn a_connection_dropped_without_its_scope_closes_without_a_goodbye() {
    // The contrast: Drop can close the socket, but cannot await the goodbye.
    let mut server = EchoServer::start().await.expect("bind loopback");
    let conn = Connection::open(server.addr()).await.expect("connect");
    drop(conn);
    assert_eq!(
        server.until_closed(PATIENCE).await,
        vec![ServerEvent::Opened, ServerEvent::Closed]
    );
}

#[tokio::test]
async fn a_scope_with_no_server_reports_the_failed_open_and_never_runs_the_body() {
    let addr = {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind loopback");
        listener.local_addr().expect("an address")
    };
    let mut ran = false;
    let result = connection::scope(addr, async |_: &mut Connection| {
        ran = true;
        Ok::<(), io::Error>(())
    })
    .await;
    assert!(matches!(result, Err(ScopeError::Open(_))), "{result:?}");
    assert!(!ran);
}

// ------------------------------------------------------------- blocking

#[tokio::test(start_paused = true)]
async fn a_blocking_sleep_lets_no_other_task_run_on_a_current_thread_runtime() {
    let s = blocking::stall_here(Wait::Blocking, Duration::from_millis(20), Duration::from_millis(1))
        .await
        .expect("tasks finish");
    assert_eq!(s.beats_during_wait, 0);
}

#[tokio::test(start_paused = true)]
async fn an_async_sleep_lets_the_heartbeat_beat_every_tick() {
    // On the paused clock: beats at 10, 20, ..., 100 ms; the wait ends at 105.
    let s = blocking::stall_here(Wait::AsyncSleep, Duration::from_millis(105), Duration::from_millis(10))
        .await
        .expect("tasks finish");
    assert_eq!(s.beats_during_wait, 10);
    assert_eq!(s.longest_gap, Duration::from_millis(10));
}

#[tokio::test]
async fn a_blocking_call_in_spawn_blocking_leaves_the_runtime_thread_free() {
    // The blocking call waits, on its pool thread, for a message that only
    // another task on the runtime's one thread can send: it gets it.
    let (tx, rx) = std::sync::mpsc::channel();
    let other = tokio::spawn(async move { tx.send("the other task ran").is_ok() });
    let got = tokio::task::spawn_blocking(move || rx.recv_timeout(PATIENCE))
        .await
        .expect("the blocking task finishes");
    assert_eq!(got, Ok("the other task ran"));
    assert!(other.await.expect("the other task finishes"));
}

#[tokio::test]
async fn the_same_blocking_call_made_in_the_task_starves_the_other_task() {
    let (tx, rx) = std::sync::mpsc::channel::<&str>();
    let other = tokio::spawn(async move { tx.send("the other task ran").is_ok() });
    // Inline, the wait holds the runtime's only thread: the other task
    // cannot run until it gives up.
    let got = rx.recv_timeout(Duration::from_millis(50));
    assert_eq!(got, Err(std::sync::mpsc::RecvTimeoutError::Timeout));
    drop(rx);
    assert!(
        !other.await.expect("the other task finishes"),
        "the receiver was gone by then"
    );
}

// ------------------------------------------------ the race across .await

fn race<E: Editor>(name: &str) -> Scenario<Kept> {
    scenario::<E>(name, 2, 1)
}

#[cfg(feature = "shuttle")]
#[test]
fn shuttle_finds_the_edit_lost_across_an_await_with_a_timeline_at_the_await() {
    let report = race::<AwaitRace>("asynchrony::await_race")
        .explore(&Explorer::shuttle())
        .expect("shuttle is in this build");
    report.assert_racy(Some(FailureKind::ForbiddenOutcome));
    let failure = report.failure.as_ref().expect("assert_racy checked it");
    assert_eq!(failure.outcome.as_deref(), Some("1 of 2 edits kept"));
    let trace = &failure.trace;
    let shown: Vec<(String, String)> = trace
        .iter()
        .filter(|e| e.thread != "main" && (e.target == "doc" || e.op == racelab::trace::Op::Await))
        .map(|e| (e.thread.clone(), e.op.word().to_owned()))
        .collect();
    // Both tasks read before either writes, and each read is followed by
    // that task's await: the lost update happens across the awaits.
    for task in ["alice", "bob"] {
        let ops: Vec<&str> = shown
            .iter()
            .filter(|(t, _)| t == task)
            .map(|(_, op)| op.as_str())
            .collect();
        assert_eq!(ops, ["load", "await", "store"], "{task}: {trace:#?}");
    }
    let loads = shown.iter().filter(|(_, op)| op == "load").count();
    let first_store = shown.iter().position(|(_, op)| op == "store").expect("a store");
    assert_eq!(
        shown[..first_store].iter().filter(|(_, op)| op == "load").count(),
        loads,
        "both loads come before the first store: {trace:#?}"
    );
    assert!(
        trace
            .iter()
            .any(|e| e.mark.as_deref().is_some_and(|m| m.contains("lost"))),
        "the overwriting store is marked: {trace:#?}"
    );
}

#[cfg(feature = "shuttle")]
#[test]
fn an_async_mutex_held_across_the_await_keeps_every_edit_under_shuttle() {
    race::<AsyncMutex>("asynchrony::async_mutex")
        .explore(&Explorer::shuttle())
        .expect("shuttle is in this build")
        .assert_holds();
}

#[cfg(feature = "shuttle")]
#[test]
fn an_atomic_update_after_the_await_keeps_every_edit_under_shuttle() {
    race::<AtomicUpdate>("asynchrony::atomic_update")
        .explore(&Explorer::shuttle())
        .expect("shuttle is in this build")
        .assert_holds();
}

#[cfg(feature = "shuttle")]
#[test]
fn three_tasks_with_two_edits_each_keep_everything_with_either_fix() {
    for report in [
        scenario::<AsyncMutex>("asynchrony::async_mutex", 3, 2).explore(&Explorer::shuttle()),
        scenario::<AtomicUpdate>("asynchrony::atomic_update", 3, 2).explore(&Explorer::shuttle()),
    ] {
        report.expect("shuttle is in this build").assert_holds();
    }
}

#[test]
fn both_fixes_keep_every_edit_on_real_threads() {
    for report in [
        scenario::<AsyncMutex>("asynchrony::async_mutex", 4, 50).explore(&Explorer::hardware().with_budget(20)),
        scenario::<AtomicUpdate>("asynchrony::atomic_update", 4, 50).explore(&Explorer::hardware().with_budget(20)),
    ] {
        report.expect("hardware is always there").assert_holds();
    }
}

#[cfg(feature = "loom")]
mod loom {
    use super::*;

    #[test]
    fn loom_finds_the_edit_lost_across_an_await() {
        race::<AwaitRace>("asynchrony::await_race")
            .explore(&Explorer::loom())
            .expect("loom is in this build")
            .assert_racy(Some(FailureKind::ForbiddenOutcome));
    }

    #[test]
    fn an_async_mutex_held_across_the_await_holds_under_loom() {
        race::<AsyncMutex>("asynchrony::async_mutex")
            .explore(&Explorer::loom())
            .expect("loom is in this build")
            .assert_holds();
    }

    #[test]
    fn an_atomic_update_after_the_await_holds_under_loom() {
        race::<AtomicUpdate>("asynchrony::atomic_update")
            .explore(&Explorer::loom())
            .expect("loom is in this build")
            .assert_holds();
    }
}
