//! The threading section: the lecture's join-in-loop deadlocks at a
//! rendezvous under the models and gives up on real threads; the fix holds
//! everywhere; threads carry their names; a detached thread dies with `main`.

use std::path::Path;

use racelab::explore::{FailureKind, Report};
use racelab::threads::join_in_loop::{self, JoinInLoop, Meeting, SpawnThenJoin};
use racelab::threads::{detached, spawning, timing};
use racelab::trace::{Event, Op};

const RACY: &str = "threads::join_in_loop";
const FIX: &str = "threads::spawn_then_join";

/// The deadlock's timeline: main started alice and waits to join her, alice
/// waits at the rendezvous, and bob was never started.
fn assert_serialised_deadlock(report: &Report) {
    report.assert_racy(Some(FailureKind::Deadlock));
    let trace = &report.failure.as_ref().expect("assert_racy checked it").trace;
    let by =
        |thread: &str, op: Op| -> Vec<&Event> { trace.iter().filter(|e| e.thread == thread && e.op == op).collect() };
    let spawned: Vec<_> = by("main", Op::Spawn).iter().filter_map(|e| e.value.clone()).collect();
    assert_eq!(spawned, ["alice"], "main starts alice and nobody else:\n{trace:#?}");
    assert!(
        by("main", Op::Blocked).iter().any(|e| e.target == "alice"),
        "main is blocked joining alice:\n{trace:#?}"
    );
    assert!(
        by("alice", Op::Blocked).iter().any(|e| e.target == "rendezvous"),
        "alice is blocked at the rendezvous:\n{trace:#?}"
    );
    assert!(trace.iter().all(|e| e.thread != "bob"), "bob never ran:\n{trace:#?}");
}

#[cfg(feature = "shuttle")]
mod shuttle {
    use super::*;
    use racelab::explore::Explorer;

    #[test]
    fn joining_inside_the_starting_loop_deadlocks_at_a_rendezvous_under_shuttle() {
        let report = join_in_loop::scenario::<JoinInLoop>(RACY, 2, 1)
            .explore(&Explorer::shuttle())
            .expect("shuttle is in this build");
        assert_serialised_deadlock(&report);
    }

    #[test]
    fn starting_every_thread_before_joining_holds_under_shuttle() {
        join_in_loop::scenario::<SpawnThenJoin>(FIX, 2, 2)
            .explore(&Explorer::shuttle())
            .expect("shuttle is in this build")
            .assert_holds();
    }
}

#[cfg(feature = "loom")]
mod loom {
    use super::*;
    use racelab::explore::Explorer;

    #[test]
    fn joining_inside_the_starting_loop_deadlocks_at_a_rendezvous_under_loom() {
        let report = join_in_loop::scenario::<JoinInLoop>(RACY, 2, 1)
            .explore(&Explorer::loom())
            .expect("loom is in this build");
        assert_serialised_deadlock(&report);
    }

    #[test]
    fn starting_every_thread_before_joining_holds_under_loom() {
        join_in_loop::scenario::<SpawnThenJoin>(FIX, 2, 1)
            .explore(&Explorer::loom())
            .expect("loom is in this build")
            .assert_holds();
    }
}

mod hardware {
    use super::*;
    use racelab::explore::Explorer;

    #[test]
    fn serialised_threads_never_meet_on_real_threads() {
        // Deterministic: bob cannot start before alice has ended.
        let alone = Meeting::GaveUp {
            waiter: "alice".into(),
            arrived: 1,
            threads: 2,
            not_started: vec!["bob".into()],
        };
        assert_eq!(join_in_loop::on_hardware::<JoinInLoop>(2, 1, 3), vec![alone.clone(); 3]);
        assert_eq!(alone.to_string(), "alice waited alone: bob was not started");
        let report = join_in_loop::scenario::<JoinInLoop>(RACY, 2, 1)
            .explore(&Explorer::hardware().with_budget(3))
            .expect("hardware is always there");
        let failure = report.failure.as_ref().expect("the serialised run is forbidden");
        assert_eq!(failure.kind, FailureKind::ForbiddenOutcome);
        assert_eq!(
            failure.outcome.as_deref(),
            Some("alice waited alone: bob was not started")
        );
    }

    #[test]
    fn threads_started_together_all_meet_on_real_threads() {
        let met = Meeting::AllMet { threads: 3, steps: 300 };
        assert_eq!(join_in_loop::on_hardware::<SpawnThenJoin>(3, 100, 5), vec![met; 5]);
        join_in_loop::scenario::<SpawnThenJoin>(FIX, 2, 10)
            .explore(&Explorer::hardware().with_budget(5))
            .expect("hardware is always there")
            .assert_holds();
    }
}

#[test]
fn a_thread_started_with_arguments_reads_its_own_name() {
    let g = spawning::spawn_with_args("alice", 7).unwrap().join().unwrap();
    assert_eq!((g.thread.as_str(), g.text.as_str()), ("alice", "Hello 7"));
}

#[test]
fn a_closure_thread_sees_what_it_captured_and_its_name() {
    let g = spawning::spawn_with_closure("bob", "Hi".into(), 2)
        .unwrap()
        .join()
        .unwrap();
    assert_eq!((g.thread.as_str(), g.text.as_str()), ("bob", "Hi 2"));
}

#[test]
fn greet_all_returns_every_threads_result_in_start_order() {
    let greetings = spawning::greet_all(3).unwrap();
    let seen: Vec<_> = greetings.iter().map(|g| (g.thread.as_str(), g.text.as_str())).collect();
    assert_eq!(seen, [("alice", "Hello 0"), ("bob", "Hello 1"), ("carol", "Hello 2")]);
}

#[test]
fn an_unnamed_std_thread_has_no_name() {
    assert_eq!(spawning::unnamed_thread_name().unwrap(), None);
}

#[test]
fn both_loops_do_all_the_work() {
    let t = timing::measure(3, 20_000);
    assert!(t.all_work_done, "{t:?}");
    assert_eq!((t.join_in_loop_spans.len(), t.spawn_then_join_spans.len()), (3, 3));
    assert_eq!(t.jobs, 3);
    assert!(t.cores >= 1);
}

#[test]
fn jobs_joined_inside_the_starting_loop_never_overlap() {
    // Not a timing claim: job i + 1 starts after join returned, so after
    // job i ended.
    let t = timing::measure(3, 20_000);
    assert!(!timing::overlap(&t.join_in_loop_spans), "{t:?}");
    let starts: Vec<_> = t.join_in_loop_spans.iter().map(|s| s.start).collect();
    assert!(starts.is_sorted(), "{t:?}");
}

#[test]
fn overlap_sees_two_jobs_at_once() {
    use std::time::Duration;
    let ms = |a, b| timing::Span {
        start: Duration::from_millis(a),
        end: Duration::from_millis(b),
    };
    assert!(timing::overlap(&[ms(0, 10), ms(5, 15)]));
    assert!(!timing::overlap(&[ms(0, 10), ms(10, 20)]));
    assert!(!timing::overlap(&[ms(0, 10)]));
}

#[test]
fn the_work_depends_on_its_seed_and_length() {
    assert_ne!(timing::work(1_000, 0), timing::work(1_000, 1));
    assert_ne!(timing::work(1_000, 0), timing::work(1_001, 0));
    assert_eq!(timing::work(1_000, 3), timing::work(1_000, 3));
}

#[test]
fn a_detached_thread_is_stopped_when_main_returns() {
    let run = detached::demo(Path::new(env!("CARGO_BIN_EXE_racelab"))).expect("run the child");
    assert!(run.status.success(), "{run:?}");
    assert_eq!(run.lines.first().map(String::as_str), Some("tick 1"), "{run:?}");
    assert!(run.main_returned(), "{run:?}");
    assert!(!run.thread_finished(), "{run:?}");
    assert!(run.stopped_with_main());
}
