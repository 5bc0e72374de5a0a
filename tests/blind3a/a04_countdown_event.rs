//! **The Deadlock Empire, level H2 "Countdown Event"**.
//!
//! A `CountdownEvent(3)`: `Signal()` decrements it, `Wait()` blocks until it
//! is 0. Thread 0: `progress = progress + 20; if (progress >= 20)
//! event.Signal(); event.Wait();`. Thread 1: `progress = progress + 30; if
//! (progress >= 30) event.Signal(); progress = progress + 50;
//! if (progress >= 80) event.Signal(); event.Wait();`. `progress = progress + k` is a read
//! and a write: when one thread's addition overwrites the other's, a later
//! threshold check reads too small a value and skips its `Signal()`; the
//! event never reaches 0 and both threads wait for ever (the level's
//! "Countdown Dragons"). .NET has a `CountdownEvent`; racelab does not, so a
//! user writes one from the facade's `Mutex<u32>` + `Condvar` (named
//! `event`). `progress` is an `AtomicI32` accessed by separate `load` /
//! `store` (`SeqCst`), as the C# field is read and written separately.
//! The level is lost by the deadlock, so every final `progress` is graded
//! acceptable and the failure looked for is the deadlock.
//!
//! **Teacher marks (written before looking at racelab's marks)**
//! 1. The `store progress` that overwrites the other thread's addition
//!    (e.g. t0's `store progress <- 20` over t1's 30, or t0's `<- 50` over
//!    t1's 80) - kind: *lost update*.
//! 2. The threshold check that then reads too small a value and skips its
//!    signal (e.g. t1's `load progress -> 20`, not >= 30; or `-> 50`, not
//!    >= 80) - kind: consequence of the lost update (a signal never sent).
//! 3. t0's and t1's `wait event` that never return (and main's `join`) -
//!    kind: *deadlock*, but not a cycle: they wait for a signal that no
//!    thread left running will send (the event is stuck at 1 or 2).
//!
//! A "lost wake-up" mark on the waits would be wrong (no notify was missed:
//! the count never reached 0, so no notify was ever due).

use racelab::explore::{FailureKind, Grade, Scenario};
use racelab::sync::atomic::{AtomicI32, Ordering::SeqCst};
use racelab::sync::{thread, Arc, Condvar, Mutex};

use crate::common;

/// .NET's `CountdownEvent`, as a user would write it from the facade.
struct CountdownEvent {
    left: Mutex<u32>,
    zero: Condvar,
}

impl CountdownEvent {
    fn new(n: u32) -> Self {
        CountdownEvent {
            left: Mutex::new(n).named("event"),
            zero: Condvar::new().named("event"),
        }
    }

    fn signal(&self) {
        let mut left = self.left.lock().unwrap();
        assert!(*left > 0, "Signal() on a CountdownEvent already at 0");
        *left -= 1;
        if *left == 0 {
            self.zero.notify_all();
        }
    }

    fn wait(&self) {
        let mut left = self.left.lock().unwrap();
        while *left > 0 {
            left = self.zero.wait(left).unwrap();
        }
    }
}

struct Shared {
    progress: AtomicI32,
    event: CountdownEvent,
}

impl Shared {
    /// `progress = progress + k` (racy), or one `fetch_add` when `fixed`.
    fn add(&self, k: i32, fixed: bool) {
        if fixed {
            self.progress.fetch_add(k, SeqCst);
        } else {
            let v = self.progress.load(SeqCst);
            self.progress.store(v + k, SeqCst);
        }
    }
}

/// `fixed`: each addition is one `fetch_add` (the control).
fn scenario(fixed: bool) -> Scenario<String> {
    let name = if fixed {
        "blind3a::countdown_event_fetch_add"
    } else {
        "blind3a::countdown_event"
    };
    Scenario::new(name, move || {
        let s = Arc::new(Shared {
            progress: AtomicI32::new(0).named("progress"),
            event: CountdownEvent::new(3),
        });
        let a = Arc::clone(&s);
        let t0 = thread::Builder::new()
            .name("t0")
            .spawn(move || {
                a.add(20, fixed);
                if a.progress.load(SeqCst) >= 20 {
                    a.event.signal();
                }
                a.event.wait();
            })
            .unwrap();
        let b = Arc::clone(&s);
        let t1 = thread::Builder::new()
            .name("t1")
            .spawn(move || {
                b.add(30, fixed);
                if b.progress.load(SeqCst) >= 30 {
                    b.event.signal();
                }
                b.add(50, fixed);
                if b.progress.load(SeqCst) >= 80 {
                    b.event.signal();
                }
                b.event.wait();
            })
            .unwrap();
        t0.join().unwrap();
        t1.join().unwrap();
        format!("progress = {}", s.progress.load(SeqCst))
    })
    .expect("both threads pass the event", |_| Grade::Acceptable)
}

#[test]
fn loom() {
    common::explore(&scenario(false), &common::loom()).assert_racy(Some(FailureKind::Deadlock));
}

#[test]
fn shuttle() {
    common::explore(&scenario(false), &common::shuttle()).assert_racy(Some(FailureKind::Deadlock));
}

#[test]
fn control_loom() {
    common::explore(&scenario(true), &common::loom()).assert_holds();
}

#[test]
fn control_shuttle() {
    common::explore(&scenario(true), &common::shuttle()).assert_holds();
}
