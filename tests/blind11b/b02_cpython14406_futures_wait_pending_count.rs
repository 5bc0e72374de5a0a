//! # CPython bpo-14406: "Race condition in concurrent.futures" (`wait(ALL_COMPLETED)` hangs)
//!
//! **Source.** <https://bugs.python.org/issue14406> (Ralf Schmitt, 2012), also
//! filed against the backport as agronholm/pythonfutures#14 ("the wait call
//! should return, but it doesn't do that"), fixed there by commit 8c48820
//! "Fixed race condition in wait(return_when=ALL_COMPLETED)" and in CPython
//! 3.3 by a `self.lock = threading.Lock()` taken around the decrement.
//! Python 3.2's `Lib/concurrent/futures/_base.py`:
//!
//! ```python
//! class _AllCompletedWaiter(_Waiter):
//!     def _decrement_pending_calls(self):
//!         self.num_pending_calls -= 1
//!         if not self.num_pending_calls:
//!             self.event.set()
//! ```
//!
//! Each worker calls it from `Future.set_result`, holding only *its own*
//! future's `_condition`.
//!
//! **The program.** `main` waits (`waiter.event.wait()`) for two futures;
//! workers `w1` and `w2` each finish one future: under that future's own
//! condition lock they set its state to FINISHED and decrement the waiter's
//! `num_pending_calls` (2 at first) by a read and a write (`-=` is a LOAD, a
//! SUBTRACT and a STORE that the GIL may split), then set the event if it
//! reached 0. The event is `threading.Event`: a flag under a lock and a
//! condition variable.
//!
//! **The bug.** A lost update: both workers read 2 and both write 1; neither
//! sees 0, nobody sets the event, and `main` waits forever (a hang: every
//! thread is then finished or blocked).
//!
//! **Teacher marks** (written before the first run):
//! 1. the second worker's `store num_pending_calls <- 1`: kind `lost_update`:
//!    "overwrites the other worker's decrement (its read of 2 came before the
//!    other's store of 1)".
//! 2. `main`'s wait on `event` (the condvar wait that never returns): kind
//!    `deadlock` or `lost_wakeup`: "main waits for an `event.set()` that no
//!    thread will make: the count stopped at 1".
//!
//! No mark belongs on: the `f1._condition` / `f2._condition` locks (each is
//! taken by one thread only), the re-reads `load num_pending_calls -> 1` (true
//! reads of the value left), the state writes, the spawns.
//!
//! **Controls.** (a) CPython 3.3's fix: a lock around the decrement and the
//! test. (b) One atomic `fetch_sub`: the thread that takes the count from 1
//! to 0 sets the event.

use racelab::explore::{FailureKind, Scenario};
use racelab::sync::atomic::{AtomicU32, Ordering::SeqCst};
use racelab::sync::{thread, Arc, Condvar, Mutex};

use crate::common;

/// `threading.Event`.
struct Event {
    flag: Mutex<bool>,
    cond: Condvar,
}

impl Event {
    fn new() -> Self {
        Event {
            flag: Mutex::new(false).named("event"),
            cond: Condvar::new().named("event"),
        }
    }

    fn set(&self) {
        let mut g = self.flag.lock().unwrap();
        *g = true;
        self.cond.notify_all();
    }

    fn wait(&self) {
        let mut g = self.flag.lock().unwrap();
        while !*g {
            g = self.cond.wait(g).unwrap();
        }
    }
}

#[derive(Clone, Copy)]
enum Decrement {
    /// Python 3.2: `self.num_pending_calls -= 1` with no lock.
    Racy,
    /// Python 3.3: under `with self.lock:`.
    Locked,
    /// One atomic read-modify-write.
    FetchSub,
}

/// `_AllCompletedWaiter` with `num_pending_calls` futures to wait for.
struct AllCompletedWaiter {
    num_pending_calls: AtomicU32,
    lock: Mutex<()>,
    event: Event,
    how: Decrement,
}

impl AllCompletedWaiter {
    fn decrement_pending_calls(&self) {
        match self.how {
            Decrement::Racy => {
                let n = self.num_pending_calls.load(SeqCst);
                self.num_pending_calls.store(n - 1, SeqCst);
                if self.num_pending_calls.load(SeqCst) == 0 {
                    self.event.set();
                }
            }
            Decrement::Locked => {
                let _g = self.lock.lock().unwrap();
                let n = self.num_pending_calls.load(SeqCst);
                self.num_pending_calls.store(n - 1, SeqCst);
                if self.num_pending_calls.load(SeqCst) == 0 {
                    self.event.set();
                }
            }
            Decrement::FetchSub => {
                if self.num_pending_calls.fetch_sub(1, SeqCst) == 1 {
                    self.event.set();
                }
            }
        }
    }
}

/// A `Future`: its state under its own `_condition`.
struct Future {
    condition: Mutex<&'static str>,
}

impl Future {
    /// `Future.set_result`: under `self._condition`, FINISHED, then every
    /// installed waiter's `add_result`.
    fn set_result(&self, waiter: &AllCompletedWaiter) {
        let mut state = self.condition.lock().unwrap();
        *state = "FINISHED";
        waiter.decrement_pending_calls();
        drop(state);
    }
}

fn scenario(name: &str, how: Decrement) -> Scenario<String> {
    Scenario::new(name, move || {
        let waiter = Arc::new(AllCompletedWaiter {
            num_pending_calls: AtomicU32::new(2).named("num_pending_calls"),
            lock: Mutex::new(()).named("waiter.lock"),
            event: Event::new(),
            how,
        });
        let futures = [
            Arc::new(Future {
                condition: Mutex::new("PENDING").named("f1._condition"),
            }),
            Arc::new(Future {
                condition: Mutex::new("PENDING").named("f2._condition"),
            }),
        ];
        let workers: Vec<_> = futures
            .iter()
            .enumerate()
            .map(|(i, f)| {
                let f = Arc::clone(f);
                let w = Arc::clone(&waiter);
                thread::Builder::new()
                    .name(format!("w{}", i + 1))
                    .spawn(move || f.set_result(&w))
                    .unwrap()
            })
            .collect();
        waiter.event.wait(); // concurrent.futures.wait(fs) blocks here
        for w in workers {
            w.join().unwrap();
        }
        "wait() returned".to_string()
    })
    .expect_only("wait() returned".to_string())
}

#[test]
fn racy_loom() {
    let s = scenario("b02::wait_all_completed_racy", Decrement::Racy);
    common::explore(&s, &common::loom()).assert_racy(Some(FailureKind::Deadlock));
}

#[test]
fn racy_shuttle() {
    let s = scenario("b02::wait_all_completed_racy", Decrement::Racy);
    common::explore(&s, &common::shuttle()).assert_racy(Some(FailureKind::Deadlock));
}

#[test]
fn control_lock_loom() {
    let s = scenario("b02::wait_all_completed_locked", Decrement::Locked);
    common::explore(&s, &common::loom()).assert_holds();
}

#[test]
fn control_lock_shuttle() {
    let s = scenario("b02::wait_all_completed_locked", Decrement::Locked);
    common::explore(&s, &common::shuttle()).assert_holds();
}

#[test]
fn control_fetch_sub_loom() {
    let s = scenario("b02::wait_all_completed_fetch_sub", Decrement::FetchSub);
    common::explore(&s, &common::loom()).assert_holds();
}

#[test]
fn control_fetch_sub_shuttle() {
    let s = scenario("b02::wait_all_completed_fetch_sub", Decrement::FetchSub);
    common::explore(&s, &common::shuttle()).assert_holds();
}
