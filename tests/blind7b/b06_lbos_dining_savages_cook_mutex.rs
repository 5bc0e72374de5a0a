//! # b06: the dining savages, with a cook who takes the savages' mutex
//!
//! **Source.** Allen B. Downey, *The Little Book of Semaphores* (2nd ed.,
//! version 2.2.1, <https://greenteapress.com/wp/semaphores/>), section 5.1
//! "The dining savages problem" (from Andrews, *Concurrent Programming*).
//! "A tribe of savages eats communal dinners from a large pot that can hold
//! M servings [...]. When a savage wants to eat, he helps himself from the
//! pot, unless it is empty. If the pot is empty, the savage wakes up the
//! cook and then waits until the cook has refilled the pot." Constraints:
//! savages cannot `getServingFromPot` if the pot is empty; the cook can
//! `putServingsInPot` only if the pot is empty. The book's solution uses
//! `servings = 0`, `mutex = Semaphore(1)`, `emptyPot = Semaphore(0)`,
//! `fullPot = Semaphore(0)`; the cook runs `emptyPot.wait();
//! putServingsInPot(M); fullPot.signal()`, and the savage, holding `mutex`,
//! does `if servings == 0: emptyPot.signal(); fullPot.wait(); servings = M`
//! before `servings -= 1; getServingFromPot()`. The book's discussion notes
//! that the only opportunity for deadlock is the savage who holds `mutex`
//! while waiting on `fullPot`, and that it is safe because the cook never
//! needs `mutex`: it is the savage, not the cook, who sets `servings = M`.
//!
//! **The program.** The transcription makes the cook "put the servings in
//! the pot" itself: `emptyPot.wait(); mutex.wait(); servings = M;
//! mutex.signal(); fullPot.signal()`, and the savage no longer sets
//! `servings = M`. Two savages (alice, bob) eat once each; M = 2; the cook
//! fills once. `servings` is a plain variable (a facade `UnsafeCell`)
//! guarded by `mutex`.
//!
//! **The bug.** The first savage into `mutex` finds the pot empty, signals
//! `emptyPot` and waits on `fullPot` while holding `mutex`; the cook takes
//! `emptyPot` and then waits on `mutex`. The savage waits for the cook, the
//! cook for the savage: a deadlock in every execution, on both backends.
//!
//! **Teacher marks (written before the first run).** Per backend, two marks,
//! kind `deadlock`, together naming the cycle:
//! 1. the first savage's `acquire fullPot`: "waits for fullPot, which only
//!    the cook releases, while holding mutex";
//! 2. the cook's `acquire mutex`: "waits for mutex, held by <savage> (taken
//!    at step N)".
//! - No mark belongs on: the second savage's blocked `acquire mutex` as part
//!   of the cycle (it waits on the cycle, but is not in it: a true "waits
//!   for mutex held by <savage>" note, not claiming a cycle, is fine);
//!   main's joins; the savage's `release emptyPot` and the cook's `acquire
//!   emptyPot` (they happened, correctly).
//!
//! **Controls.** (1) The book's solution (the savage sets `servings = M`
//! after `fullPot`; the cook never takes `mutex`). (2) A different primitive:
//! a monitor, the pot as a facade `Mutex<u32>` with two `Condvar`s, where
//! the savage waiting for the cook releases the lock while it waits.

use racelab::explore::{FailureKind, Scenario};
use racelab::sync::cell::UnsafeCell;
use racelab::sync::{thread, Arc, Condvar, Mutex, Semaphore};

use crate::common;

const M: u32 = 2;

struct Pot {
    servings: UnsafeCell<u32>,
    mutex: Semaphore,
    empty_pot: Semaphore,
    full_pot: Semaphore,
}

// Safety: `servings` is only touched while holding `mutex` (a semaphore
// used as a lock).
unsafe impl Sync for Pot {}
unsafe impl Send for Pot {}

impl Pot {
    fn new() -> Self {
        Pot {
            servings: UnsafeCell::new(0).named("servings"),
            mutex: Semaphore::new(1).named("mutex"),
            empty_pot: Semaphore::new(0).named("emptyPot"),
            full_pot: Semaphore::new(0).named("fullPot"),
        }
    }
    fn servings(&self) -> u32 {
        self.servings.with(|p| unsafe { *p })
    }
    fn set_servings(&self, v: u32) {
        self.servings.with_mut(|p| unsafe { *p = v })
    }
}

/// `book`: the book's solution; else the cook takes `mutex` to fill.
fn scenario(name: &str, book: bool) -> Scenario<String> {
    Scenario::new(name, move || {
        let pot = Arc::new(Pot::new());
        let p = Arc::clone(&pot);
        let cook = thread::Builder::new()
            .name("cook")
            .spawn(move || {
                p.empty_pot.acquire();
                if book {
                    // putServingsInPot(M): the savage records it.
                } else {
                    p.mutex.acquire();
                    p.set_servings(M);
                    p.mutex.release();
                }
                p.full_pot.release();
            })
            .unwrap();
        let savages: Vec<_> = ["alice", "bob"]
            .into_iter()
            .map(|who| {
                let p = Arc::clone(&pot);
                thread::Builder::new()
                    .name(who)
                    .spawn(move || {
                        p.mutex.acquire();
                        if p.servings() == 0 {
                            p.empty_pot.release();
                            p.full_pot.acquire();
                            if book {
                                p.set_servings(M);
                            }
                        }
                        let left = p.servings() - 1;
                        p.set_servings(left); // getServingFromPot()
                        p.mutex.release();
                        // eat()
                    })
                    .unwrap()
            })
            .collect();
        for s in savages {
            s.join().unwrap();
        }
        cook.join().unwrap();
        format!("servings left {}", pot.servings())
    })
    .expect_only("servings left 0".to_string())
}

/// Control 2: a monitor.
fn monitor_control() -> Scenario<String> {
    Scenario::new("b06::monitor", || {
        let pot = Arc::new((
            Mutex::new(0u32).named("servings"),
            Condvar::new().named("emptyPot"),
            Condvar::new().named("fullPot"),
        ));
        let p = Arc::clone(&pot);
        let cook = thread::Builder::new()
            .name("cook")
            .spawn(move || {
                let (servings, empty, full) = &*p;
                let mut s = empty.wait_while(servings.lock().unwrap(), |s| *s != u32::MAX).unwrap();
                *s = M;
                full.notify_all();
            })
            .unwrap();
        let savages: Vec<_> = ["alice", "bob"]
            .into_iter()
            .map(|who| {
                let p = Arc::clone(&pot);
                thread::Builder::new()
                    .name(who)
                    .spawn(move || {
                        let (servings, empty, full) = &*p;
                        let mut s = servings.lock().unwrap();
                        // u32::MAX: "the pot is empty and the cook is called".
                        while *s == 0 || *s == u32::MAX {
                            if *s == 0 {
                                *s = u32::MAX;
                                empty.notify_one();
                            }
                            s = full.wait(s).unwrap();
                        }
                        *s -= 1;
                    })
                    .unwrap()
            })
            .collect();
        for s in savages {
            s.join().unwrap();
        }
        cook.join().unwrap();
        let left = *pot.0.lock().unwrap();
        format!("servings left {left}")
    })
    .expect_only("servings left 0".to_string())
}

#[test]
fn loom_racy() {
    let report = common::explore(&scenario("b06::cook_takes_mutex", false), &common::loom());
    report.assert_racy(Some(FailureKind::Deadlock));
}

#[test]
fn shuttle_racy() {
    let report = common::explore(&scenario("b06::cook_takes_mutex", false), &common::shuttle());
    report.assert_racy(Some(FailureKind::Deadlock));
}

#[test]
fn loom_control_book() {
    common::explore(&scenario("b06::book", true), &common::loom()).assert_holds();
}

#[test]
fn shuttle_control_book() {
    common::explore(&scenario("b06::book", true), &common::shuttle()).assert_holds();
}

#[test]
fn loom_control_monitor() {
    common::explore(&monitor_control(), &common::loom()).assert_holds();
}

#[test]
fn shuttle_control_monitor() {
    common::explore(&monitor_control(), &common::shuttle()).assert_holds();
}
