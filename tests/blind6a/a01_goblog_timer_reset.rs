//! a01: the timer that resets itself before it exists.
//!
//! **Source.** Dmitry Vyukov and Andrew Gerrand, "Introducing the Go Race
//! Detector", The Go Blog, 26 June 2013, section "Example: Timer.Reset"
//! (<https://go.dev/blog/race-detector>). The program:
//!
//! ```go
//! func main() {
//!     start := time.Now()
//!     var t *time.Timer
//!     t = time.AfterFunc(randomDuration(), func() {
//!         fmt.Println(time.Now().Sub(start))
//!         t.Reset(randomDuration())
//!     })
//!     time.Sleep(5 * time.Second)
//! }
//! ```
//!
//! The blog: "the race is between the read of `t` in the callback and the
//! write of `t` in main. If the initial timer duration is very small, the
//! timer function may fire before the main goroutine has assigned a value to
//! `t` and so the call to `t.Reset` is made with a nil `t`." Its fix: the
//! callback only signals main over a channel (`reset <- true`), and only main
//! touches `t` (`<-reset; t.Reset(...)`).
//!
//! **Transcription.** `time.AfterFunc` starts the callback on a goroutine of
//! its own: here a thread `timer` that main spawns. The variable `t` is a
//! plain variable in Go: a `racelab::sync::cell::UnsafeCell<Option<..>>`
//! named `t`, `None` being Go's nil. main's assignment `t = ...` is a
//! `with_mut` after the spawn; the callback's `t.Reset(...)` is a `with`
//! (read `t`), then, if `t` is not nil, a store to the timer's own atomic
//! `deadline`. `time.Sleep(5s)` becomes a join of the timer thread. The
//! outcome says whether the callback found `t` nil (Go would crash with a
//! nil pointer dereference).
//!
//! **The bug.** An order violation on `t`: nothing orders main's write of
//! `t` before the callback's read of it.
//!
//! **Teacher marks** (written before the first run):
//! - loom: the timer thread's read of `t` (`read t`) and main's write of `t`
//!   are unordered; loom stops at whichever comes second with a data race.
//!   The teacher marks the timer thread's read of `t`, kind `data_race` (or
//!   `order_violation`): "the callback reads `t` before, and unordered with,
//!   main's write of `t`: it sees nil". Its other end is main's `write t`.
//! - shuttle: the bad execution is the callback running first: timer's
//!   `read t` (finds nil) before main's `write t`. Mark on the timer's
//!   `read t`, kind `order_violation` (or `data_race`): "reads `t` before main
//!   writes it".
//! - No mark on main's spawn, on the join, or on the callback's `deadline`
//!   store (the callback does not reach it in the bad execution anyway).
//!
//! **Controls.** (1) The blog's fix: the callback sends on a channel; main
//! receives and only main reads `t`. (2) main assigns `t` before the timer can
//! fire: the timer thread is spawned with the timer already built, as
//! `time.NewTimer` + a goroutine blocked on the timer's channel would (here a
//! `OnceLock` that main fills before the callback may read it, and the
//! callback waits for it through a `Barrier`).

use racelab::explore::{FailureKind, Scenario};
use racelab::sync::atomic::{AtomicU64, Ordering::SeqCst};
use racelab::sync::cell::UnsafeCell;
use racelab::sync::{mpsc, thread, Arc, Barrier, OnceLock};

use crate::common;

/// Go's `*time.Timer`: here just the timer's deadline, an atomic the runtime
/// and `Reset` share.
struct Timer {
    deadline: AtomicU64,
}

/// The shared `var t *time.Timer`: a plain variable, as in Go.
struct SharedT(UnsafeCell<Option<Arc<Timer>>>);
// SAFETY: this is the racy program under test; loom checks every access.
unsafe impl Sync for SharedT {}

fn racy() -> Scenario<&'static str> {
    Scenario::new("blind6a::goblog_timer_reset", || {
        let t = Arc::new(SharedT(UnsafeCell::new(None).named("t")));
        // t = time.AfterFunc(d, func() { ...; t.Reset(d2) })
        let timer = Arc::new(Timer {
            deadline: AtomicU64::new(10).named("deadline"),
        });
        let cb_t = Arc::clone(&t);
        let callback = thread::Builder::new()
            .name("timer")
            .spawn(move || {
                // fmt.Println(...) elided; t.Reset(randomDuration())
                let seen = cb_t.0.with(|p| unsafe { (*p).clone() });
                match seen {
                    Some(timer) => {
                        timer.deadline.store(20, SeqCst);
                        "reset ok"
                    }
                    None => "t.Reset on a nil timer",
                }
            })
            .unwrap();
        t.0.with_mut(|p| unsafe { *p = Some(timer) });
        // time.Sleep(5 * time.Second): the callback has run by then.
        callback.join().unwrap()
    })
    .expect_only("reset ok")
}

/// The blog's fix: the callback only signals; main alone touches `t`.
fn fixed_channel() -> Scenario<&'static str> {
    Scenario::new("blind6a::goblog_timer_reset_channel", || {
        let t = Arc::new(SharedT(UnsafeCell::new(None).named("t")));
        let (reset_tx, reset_rx) = mpsc::channel_named::<bool>("reset");
        let timer = Arc::new(Timer {
            deadline: AtomicU64::new(10).named("deadline"),
        });
        let callback = thread::Builder::new()
            .name("timer")
            .spawn(move || {
                reset_tx.send(true).unwrap();
            })
            .unwrap();
        t.0.with_mut(|p| unsafe { *p = Some(timer) });
        // <-reset; t.Reset(randomDuration())
        reset_rx.recv().unwrap();
        let outcome = match t.0.with(|p| unsafe { (*p).clone() }) {
            Some(timer) => {
                timer.deadline.store(20, SeqCst);
                "reset ok"
            }
            None => "t.Reset on a nil timer",
        };
        callback.join().unwrap();
        outcome
    })
    .expect_only("reset ok")
}

/// The timer is published before the callback may fire: a `OnceLock` set by
/// main, and a `Barrier` the callback waits at (the timer "arms" only once
/// main has its handle).
fn fixed_once_barrier() -> Scenario<&'static str> {
    Scenario::new("blind6a::goblog_timer_reset_once", || {
        let t: Arc<OnceLock<Arc<Timer>>> = Arc::new(OnceLock::new().named("t"));
        let armed = Arc::new(Barrier::new(2).named("armed"));
        let cb_t = Arc::clone(&t);
        let cb_armed = Arc::clone(&armed);
        let callback = thread::Builder::new()
            .name("timer")
            .spawn(move || {
                cb_armed.wait();
                match cb_t.get() {
                    Some(timer) => {
                        timer.deadline.store(20, SeqCst);
                        "reset ok"
                    }
                    None => "t.Reset on a nil timer",
                }
            })
            .unwrap();
        let _ = t.set(Arc::new(Timer {
            deadline: AtomicU64::new(10).named("deadline"),
        }));
        armed.wait();
        callback.join().unwrap()
    })
    .expect_only("reset ok")
}

#[test]
fn racy_loom() {
    let report = common::explore(&racy(), &common::loom());
    report.assert_racy(Some(FailureKind::DataRace));
}

#[test]
fn racy_shuttle() {
    let report = common::explore(&racy(), &common::shuttle());
    report.assert_racy(Some(FailureKind::ForbiddenOutcome));
}

#[test]
fn fixed_channel_holds() {
    common::explore(&fixed_channel(), &common::loom()).assert_holds();
    common::explore(&fixed_channel(), &common::shuttle()).assert_holds();
}

#[test]
fn fixed_once_barrier_holds() {
    common::explore(&fixed_once_barrier(), &common::loom()).assert_holds();
    common::explore(&fixed_once_barrier(), &common::shuttle()).assert_holds();
}
