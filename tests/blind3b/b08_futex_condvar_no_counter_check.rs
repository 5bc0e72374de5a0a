//! # b08: a condition variable built on a futex, without the counter check
//!
//! Source: Mara Bos, *Rust Atomics and Locks*, ch. 9 "Building Our Own
//! Locks", §"Condition Variable" (`wait` loads `counter`, unlocks the mutex,
//! then `wait(&self.counter, counter_value)`: the futex sleeps only if the
//! counter still holds that value, which `notify_one`'s `fetch_add` changes).
//!
//! The bug: the futex wait does not compare the counter (it sleeps
//! unconditionally). If `notify_one` runs between the waiter's unlock of the
//! user's mutex and its futex wait, the counter changes, the wake finds
//! nobody asleep and is lost, and the waiter then sleeps for ever although
//! the flag it waits for is set. The futex is modelled by a mutex (the
//! kernel's hash-bucket lock, `futex`) and a condvar (its wait queue,
//! `futex.q`); the real one compares under the bucket lock.
//!
//! ## Teacher marks (written before looking at racelab's marks)
//!
//! 1. `notifier` `notify_one futex.q`: **lost wake-up**, "came before the wait
//!    at step N" (the waiter had already unlocked `ready` and read `counter`,
//!    but was not yet asleep).
//! 2. `waiter` `wait futex.q` (blocked for ever, while `ready` is true and
//!    `counter` has changed since its load): **lost wake-up** / deadlock,
//!    "waits for a notify that already happened at step N".
//! 3. `main` `join waiter`: waits for the blocked waiter. Optional: a missing
//!    mark here is not counted as a miss.
//!
//! No mark belongs on `ready`'s lock sections or on `counter`'s `fetch_add`
//! (a mark on the waiter's `load counter` saying its value was never checked
//! again would be right, and is counted as lenient for mark 2).

use racelab::explore::{Explorer, Scenario};
use racelab::sync::atomic::{AtomicU32, Ordering::Relaxed};
use racelab::sync::{thread, Arc, Condvar, Mutex, MutexGuard};

use crate::common;

/// A futex word's wait queue: the kernel's bucket lock and its sleepers.
struct Futex {
    bucket: Mutex<()>,
    q: Condvar,
}

impl Futex {
    /// `futex_wait(word, expected)`: sleep until woken, but only if `word`
    /// still holds `expected` (checked under the bucket lock) when `check`.
    fn wait(&self, word: &AtomicU32, expected: u32, check: bool) {
        let g = self.bucket.lock().unwrap();
        if !check || word.load(Relaxed) == expected {
            drop(self.q.wait(g).unwrap());
        }
    }

    fn wake_one(&self) {
        let _g = self.bucket.lock().unwrap();
        self.q.notify_one();
    }
}

struct MyCondvar {
    counter: AtomicU32,
    futex: Futex,
    check: bool,
}

impl MyCondvar {
    fn wait<'a>(&self, guard: MutexGuard<'a, bool>, mutex: &'a Mutex<bool>) -> MutexGuard<'a, bool> {
        let counter_value = self.counter.load(Relaxed);
        drop(guard);
        self.futex.wait(&self.counter, counter_value, self.check);
        mutex.lock().unwrap()
    }

    fn notify_one(&self) {
        self.counter.fetch_add(1, Relaxed);
        self.futex.wake_one();
    }
}

struct Shared {
    ready: Mutex<bool>,
    cv: MyCondvar,
}

fn scenario(check: bool) -> Scenario<bool> {
    let name = if check { "b08::fixed" } else { "b08::no_counter_check" };
    Scenario::new(name, move || {
        let s = Arc::new(Shared {
            ready: Mutex::new(false).named("ready"),
            cv: MyCondvar {
                counter: AtomicU32::new(0).named("counter"),
                futex: Futex {
                    bucket: Mutex::new(()).named("futex"),
                    q: Condvar::new().named("futex.q"),
                },
                check,
            },
        });
        let w = Arc::clone(&s);
        let waiter = thread::Builder::new()
            .name("waiter")
            .spawn(move || {
                let mut g = w.ready.lock().unwrap();
                while !*g {
                    g = w.cv.wait(g, &w.ready);
                }
                *g
            })
            .unwrap();
        let n = Arc::clone(&s);
        let notifier = thread::Builder::new()
            .name("notifier")
            .spawn(move || {
                *n.ready.lock().unwrap() = true;
                n.cv.notify_one();
            })
            .unwrap();
        notifier.join().unwrap();
        waiter.join().unwrap()
    })
    .expect_only(true)
}

#[test]
fn b08_loom_finds_the_lost_wakeup() {
    common::racy(&scenario(false), &Explorer::loom());
}

#[test]
fn b08_shuttle_finds_the_lost_wakeup() {
    common::racy(&scenario(false), &Explorer::shuttle());
}

#[test]
fn b08_fixed_holds_under_loom() {
    common::holds(&scenario(true), &Explorer::loom());
}

#[test]
fn b08_fixed_holds_under_shuttle() {
    common::holds(&scenario(true), &Explorer::shuttle());
}
