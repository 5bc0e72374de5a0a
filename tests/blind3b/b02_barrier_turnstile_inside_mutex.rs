//! # b02: a barrier whose turnstile sits inside the mutex
//!
//! Source: Allen B. Downey, *The Little Book of Semaphores*, §3.6 "Barrier",
//! puzzle 3.6.4 "Deadlock #2" (the non-solution that moves the turnstile
//! inside the `mutex`).
//!
//! The bug: each of the n = 2 threads does `mutex.wait(); count += 1; if
//! count == n { barrier.signal() }; barrier.wait(); barrier.signal();
//! mutex.signal()`. The first thread to arrive finds `count == 1` and blocks
//! on `barrier` (no permit yet) while still holding `mutex`; the second
//! thread, the only one that could signal `barrier`, blocks on `mutex`. Every
//! execution deadlocks: a wait-for cycle through two semaphores.
//!
//! ## Teacher marks (written before looking at racelab's marks)
//!
//! Say `a` arrives first (the same with `a` and `b` swapped):
//! 1. `a` `acquire barrier` (blocked for ever, holding `mutex`):
//!    **deadlock**, "a waits for barrier, which only b would release; a
//!    holds mutex".
//! 2. `b` `acquire mutex` (blocked for ever): **deadlock**, "b waits for
//!    mutex, held by a (a cycle)".
//!
//! Marks on the lock and wait lines a semaphore is made of count as marks on
//! its `acquire`. A mark on `main`'s `join` saying it waits for a blocked
//! thread is true (not spurious) but not needed. No mark belongs on `count`
//! (it is only touched under `mutex`).

use racelab::explore::{Explorer, Scenario};
use racelab::sync::atomic::{AtomicUsize, Ordering::SeqCst};
use racelab::sync::{thread, Arc, Semaphore};

use crate::common;

const N: usize = 2;

struct Barrier {
    count: AtomicUsize,
    mutex: Semaphore,
    barrier: Semaphore,
    passed: AtomicUsize,
}

fn arrive(b: &Barrier, fixed: bool) {
    b.mutex.acquire();
    let count = b.count.load(SeqCst) + 1;
    b.count.store(count, SeqCst);
    if fixed {
        // 3.6.5: the turnstile outside the mutex.
        b.mutex.release();
        if count == N {
            b.barrier.release();
        }
        b.barrier.acquire();
        b.barrier.release();
    } else {
        if count == N {
            b.barrier.release();
        }
        b.barrier.acquire();
        b.barrier.release();
        b.mutex.release();
    }
    // critical point
    b.passed.fetch_add(1, SeqCst);
}

fn scenario(fixed: bool) -> Scenario<usize> {
    let name = if fixed {
        "b02::fixed"
    } else {
        "b02::turnstile_inside_mutex"
    };
    Scenario::new(name, move || {
        let b = Arc::new(Barrier {
            count: AtomicUsize::new(0).named("count"),
            mutex: Semaphore::new(1).named("mutex"),
            barrier: Semaphore::new(0).named("barrier"),
            passed: AtomicUsize::new(0).named("passed"),
        });
        let handles: Vec<_> = ["a", "b"]
            .into_iter()
            .map(|name| {
                let b = Arc::clone(&b);
                thread::Builder::new()
                    .name(name)
                    .spawn(move || arrive(&b, fixed))
                    .unwrap()
            })
            .collect();
        for h in handles {
            h.join().unwrap();
        }
        b.passed.load(SeqCst)
    })
    .expect_only(N)
}

#[test]
fn b02_loom_finds_the_deadlock() {
    common::racy(&scenario(false), &Explorer::loom());
}

#[test]
fn b02_shuttle_finds_the_deadlock() {
    common::racy(&scenario(false), &Explorer::shuttle());
}

#[test]
fn b02_fixed_holds_under_loom() {
    common::holds(&scenario(true), &Explorer::loom());
}

#[test]
fn b02_fixed_holds_under_shuttle() {
    common::holds(&scenario(true), &Explorer::shuttle());
}
