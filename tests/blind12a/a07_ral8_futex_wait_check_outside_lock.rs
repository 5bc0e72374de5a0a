//! # Rust Atomics and Locks, ch. 8: a futex `wait` whose check is not atomic
//!
//! **Source.** Mara Bos, *Rust Atomics and Locks* (O'Reilly, 2023), chapter
//! 8 "Operating System Primitives", section "Futex"
//! (<https://marabos.nl/atomics/os-primitives.html#futex>). The example:
//! a spawned thread does `a.store(1, Relaxed); wake_one(&a);`, and the main
//! thread does `while a.load(Relaxed) == 0 { wait(&a, 0); }`. The book
//! explains that `wait(&a, 0)` only goes to sleep if `a` is still 0, and that
//! this check and the going to sleep happen as one operation with respect to
//! `wake_one`: a wake-up between the check in the `while` and the sleep is
//! therefore not lost. (The Linux man page, futex(2): "This load, the
//! comparison with the expected value, and starting to sleep are performed
//! atomically".)
//!
//! **Program.** The exercise: emulate `wait`/`wake_one` in user space with a
//! mutex and a condvar, and get it wrong: `wait(a, expected)` checks
//! `a.load() == expected` *before* taking the mutex, then locks and sleeps on
//! the condvar; `wake_one` is a bare `notify_one`. `waker` stores 1 and wakes;
//! main runs the book's `while` loop.
//!
//! **Bug.** A lost wake-up: main checks `a -> 0` (in the `while` and again
//! in `wait`), then `waker` stores 1 and notifies while nobody waits, then
//! main sleeps on the condvar for ever (the waker has finished): a deadlock.
//!
//! **Teacher marks** (both backends):
//! 1. `waker`'s `notify_one cv`, kind `lost_wakeup`: "notifies before main
//!    waits (step N): the wake-up is lost".
//! 2. main's `wait cv`, kind `stale_check` (or `lost_wakeup`): "waits on its
//!    check at step K (`load a -> 0`), which `waker` changed at step M before
//!    the sleep, with no notify after".
//!
//! No mark belongs on the `store a <- 1` (a correct write), on main's lock of
//! the futex mutex, or on the spawn.

use crate::common;
use racelab::explore::{FailureKind, Scenario};
use racelab::sync::atomic::{AtomicU32, Ordering::Relaxed};
use racelab::sync::{thread, Arc, Condvar, Mutex, Semaphore};

struct Futex {
    a: AtomicU32,
    lock: Mutex<()>,
    cv: Condvar,
}

impl Futex {
    fn new() -> Self {
        Futex {
            a: AtomicU32::new(0).named("a"),
            lock: Mutex::new(()).named("futex"),
            cv: Condvar::new().named("cv"),
        }
    }

    /// Wrong: the comparison is not done under the lock the waker takes.
    fn wait_racy(&self, expected: u32) {
        if self.a.load(Relaxed) != expected {
            return;
        }
        let g = self.lock.lock().unwrap();
        drop(self.cv.wait(g).unwrap());
    }

    fn wake_one_racy(&self) {
        self.cv.notify_one();
    }

    /// Right: compare and sleep under the lock, and wake under it too.
    fn wait_locked(&self, expected: u32) {
        let g = self.lock.lock().unwrap();
        if self.a.load(Relaxed) == expected {
            drop(self.cv.wait(g).unwrap());
        }
    }

    fn wake_one_locked(&self) {
        let _g = self.lock.lock().unwrap();
        self.cv.notify_one();
    }
}

fn scenario(name: &str, locked: bool) -> Scenario<u32> {
    Scenario::new(name, move || {
        let f = Arc::new(Futex::new());
        let w = Arc::clone(&f);
        let waker = thread::Builder::new()
            .name("waker")
            .spawn(move || {
                w.a.store(1, Relaxed);
                if locked {
                    w.wake_one_locked();
                } else {
                    w.wake_one_racy();
                }
            })
            .unwrap();
        while f.a.load(Relaxed) == 0 {
            if locked {
                f.wait_locked(0);
            } else {
                f.wait_racy(0);
            }
        }
        waker.join().unwrap();
        f.a.load(Relaxed)
    })
    .expect_only(1)
}

/// Another primitive: a semaphore keeps the wake-up as a permit, so a wake
/// before the wait is not lost.
fn semaphore() -> Scenario<u32> {
    Scenario::new("blind12a::ral8_futex_semaphore", || {
        let a = Arc::new(AtomicU32::new(0).named("a"));
        let sem = Arc::new(Semaphore::new(0).named("wakeups"));
        let (w, s) = (Arc::clone(&a), Arc::clone(&sem));
        let waker = thread::Builder::new()
            .name("waker")
            .spawn(move || {
                w.store(1, Relaxed);
                s.release();
            })
            .unwrap();
        while a.load(Relaxed) == 0 {
            sem.acquire();
        }
        waker.join().unwrap();
        a.load(Relaxed)
    })
    .expect_only(1)
}

#[test]
fn racy_loom() {
    let r = common::explore(
        &scenario("blind12a::ral8_futex_check_outside_lock", false),
        &common::loom(),
    );
    r.assert_racy(Some(FailureKind::Deadlock));
}

#[test]
fn racy_shuttle() {
    let r = common::explore(
        &scenario("blind12a::ral8_futex_check_outside_lock", false),
        &common::shuttle(),
    );
    r.assert_racy(Some(FailureKind::Deadlock));
}

#[test]
fn controls_hold() {
    for s in [scenario("blind12a::ral8_futex_check_under_lock", true), semaphore()] {
        common::explore(&s, &common::loom()).assert_holds();
        common::explore(&s, &common::shuttle()).assert_holds();
    }
}
