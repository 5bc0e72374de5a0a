//! Silberschatz, Galvin & Gagne, *Operating System Concepts* (10th ed.),
//! §6.7 "Monitors" (opening list of incorrect uses of semaphores): "Suppose
//! that a program interchanges the order in which the wait() and signal()
//! operations on the semaphore mutex are executed, resulting in the
//! following execution: `signal(mutex); ... critical section ...
//! wait(mutex);` In this situation, several processes may be executing in
//! their critical sections simultaneously, violating the mutual-exclusion
//! requirement."
//!
//! Transcription: `mutex` is a `Semaphore` with one permit. `careful` runs
//! `wait(mutex); counter = counter + 1; signal(mutex)`; `careless` runs the
//! interchanged `signal(mutex); counter = counter + 1; wait(mutex)`. The
//! counter is a plain cell (`UnsafeCell`), as the data a critical section
//! protects usually is. Two increments must leave 2.
//!
//! # Teacher marks (written before the first run)
//! - `careless`'s `release mutex` (its first step): `order_violation`:
//!   "releases the semaphore used as a lock without having acquired it
//!   (wait and signal interchanged); from here both threads can be in the
//!   critical section at once".
//! - the clash inside the critical sections:
//!   - under loom, which checks the cell: the two unordered accesses to
//!     `counter` (`careless`'s and `careful`'s), `data_race`: "races with
//!     step N: nothing orders the two accesses";
//!   - under shuttle, which does not check cells: the second `write
//!     counter` of the two overlapping increments, `lost_update`:
//!     "overwrites step N (the other thread's update is lost)".
//!
//! On either backend a mark on either end of the racing pair is strict.
//!
//! No mark on `careless`'s final `acquire mutex` (too late, but harmless
//! here), on `careful`'s acquire/release (it is right), on spawns, joins or
//! main's final read.
//! Expected verdict: loom `data race` (a race on the cell ends the
//! execution), shuttle `forbidden outcome` (counter = 1).

use racelab::explore::{FailureKind, Scenario};
use racelab::sync::cell::UnsafeCell;
use racelab::sync::{thread, Arc, RwLock, Semaphore};

use super::common;

/// The shared counter the critical section protects.
struct Shared {
    mutex: Semaphore,
    counter: UnsafeCell<u32>,
}

// SAFETY: `counter` is meant to be reached only between `wait(mutex)` and
// `signal(mutex)`; the puzzle is that one thread breaks that rule, and loom
// checks every access.
unsafe impl Sync for Shared {}

fn increment(s: &Shared) {
    // register = counter; counter = register + 1
    let register = s.counter.with(|p| unsafe { *p });
    s.counter.with_mut(|p| unsafe { *p = register + 1 });
}

fn racy() -> Scenario<u32> {
    Scenario::new("blind9a::osc_semaphore_interchanged", || {
        let shared = Arc::new(Shared {
            mutex: Semaphore::new(1).named("mutex"),
            counter: UnsafeCell::new(0).named("counter"),
        });
        let s1 = Arc::clone(&shared);
        let careful = thread::Builder::new()
            .name("careful")
            .spawn(move || {
                s1.mutex.acquire(); // wait(mutex)
                increment(&s1);
                s1.mutex.release(); // signal(mutex)
            })
            .unwrap();
        let s2 = Arc::clone(&shared);
        let careless = thread::Builder::new()
            .name("careless")
            .spawn(move || {
                s2.mutex.release(); // signal(mutex)  -- interchanged
                increment(&s2);
                s2.mutex.acquire(); // wait(mutex)
            })
            .unwrap();
        careful.join().unwrap();
        careless.join().unwrap();
        shared.counter.with(|p| unsafe { *p })
    })
    .expect_only(2)
}

/// Control 1: `careless` puts wait and signal back in order.
fn fixed_order() -> Scenario<u32> {
    Scenario::new("blind9a::osc_semaphore_in_order", || {
        let shared = Arc::new(Shared {
            mutex: Semaphore::new(1).named("mutex"),
            counter: UnsafeCell::new(0).named("counter"),
        });
        let handles: Vec<_> = ["careful", "careless"]
            .into_iter()
            .map(|name| {
                let s = Arc::clone(&shared);
                thread::Builder::new()
                    .name(name)
                    .spawn(move || {
                        s.mutex.acquire();
                        increment(&s);
                        s.mutex.release();
                    })
                    .unwrap()
            })
            .collect();
        for h in handles {
            h.join().unwrap();
        }
        shared.counter.with(|p| unsafe { *p })
    })
    .expect_only(2)
}

/// Control 2: what §6.7 proposes instead of raw semaphores: a construct that
/// cannot be released without being taken first. Here an `RwLock`, whose
/// write guard is the only way in and is released by going out of scope.
fn fixed_guards() -> Scenario<u32> {
    Scenario::new("blind9a::osc_semaphore_guards", || {
        let counter = Arc::new(RwLock::new(0u32).named("counter"));
        let handles: Vec<_> = ["careful", "careless"]
            .into_iter()
            .map(|name| {
                let c = Arc::clone(&counter);
                thread::Builder::new()
                    .name(name)
                    .spawn(move || {
                        let mut g = c.write().unwrap();
                        let register = *g;
                        *g = register + 1;
                    })
                    .unwrap()
            })
            .collect();
        for h in handles {
            h.join().unwrap();
        }
        let v = *counter.read().unwrap();
        v
    })
    .expect_only(2)
}

#[test]
fn racy_loom() {
    let r = common::explore(&racy(), &common::loom());
    r.assert_racy(Some(FailureKind::DataRace));
}

#[test]
fn racy_shuttle() {
    let r = common::explore(&racy(), &common::shuttle());
    r.assert_racy(Some(FailureKind::ForbiddenOutcome));
}

#[test]
fn fixes_hold() {
    for s in [fixed_order(), fixed_guards()] {
        common::explore(&s, &common::loom()).assert_holds();
        common::explore(&s, &common::shuttle()).assert_holds();
    }
}
