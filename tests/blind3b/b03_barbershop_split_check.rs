//! # b03: the barbershop that lets in more customers than it has chairs
//!
//! Source: Allen B. Downey, *The Little Book of Semaphores*, §5.2 "The
//! barbershop problem" (the customer's balk test on `customers`).
//!
//! The bug: a customer must check "is the shop full?" and take a place in
//! one critical section (`mutex.wait(); if customers == n { mutex.signal();
//! balk() }; customers += 1; mutex.signal()`). This one checks in one
//! section and takes the place in another. With room for one customer, both
//! customers see 0, neither balks, and both come in: `customers == 2`.
//!
//! ## Teacher marks (written before looking at racelab's marks)
//!
//! Say `c1` increments first (the same with the names swapped):
//! 1. `c2`'s increment section (`lock customers -> 1` / `unlock customers <-
//!    2`), the act: **stale check**, "acts on the check at step N" (its own
//!    `lock customers -> 0` check, which c1's increment changed after it).
//!    Lenient: the mark on c1's increment (the write that made the check
//!    stale) saying so.
//!
//! Not a lost update: c2's `+= 1` reads the current value under the lock
//! (1 -> 2), so a "lost update" or "overwrites" mark on it is factually
//! wrong. No mark belongs on c1's check or act (c1's check is still true
//! when c1 acts).

use racelab::explore::{Explorer, Grade, Scenario};
use racelab::sync::{thread, Arc, Mutex};

use crate::common;

/// Places in the shop (the barber's chair; no waiting room).
const N: u32 = 1;

fn enter(customers: &Mutex<u32>, fixed: bool) {
    if fixed {
        let mut c = customers.lock().unwrap();
        if *c == N {
            return; // balk
        }
        *c += 1;
    } else {
        let full = *customers.lock().unwrap() == N;
        if full {
            return; // balk
        }
        *customers.lock().unwrap() += 1;
    }
}

fn scenario(fixed: bool) -> Scenario<u32> {
    let name = if fixed { "b03::fixed" } else { "b03::split_check" };
    Scenario::new(name, move || {
        let customers = Arc::new(Mutex::new(0u32).named("customers"));
        let handles: Vec<_> = ["c1", "c2"]
            .into_iter()
            .map(|name| {
                let c = Arc::clone(&customers);
                thread::Builder::new()
                    .name(name)
                    .spawn(move || enter(&c, fixed))
                    .unwrap()
            })
            .collect();
        for h in handles {
            h.join().unwrap();
        }
        let n = *customers.lock().unwrap();
        n
    })
    .expect("at most 1 customer in the shop", |n| {
        if *n <= N {
            Grade::Acceptable
        } else {
            Grade::Forbidden
        }
    })
}

#[test]
fn b03_loom_finds_the_overfull_shop() {
    common::racy(&scenario(false), &Explorer::loom());
}

#[test]
fn b03_shuttle_finds_the_overfull_shop() {
    common::racy(&scenario(false), &Explorer::shuttle());
}

#[test]
fn b03_fixed_holds_under_loom() {
    common::holds(&scenario(true), &Explorer::loom());
}

#[test]
fn b03_fixed_holds_under_shuttle() {
    common::holds(&scenario(true), &Explorer::shuttle());
}

/// Not scored: the same bug with the increment spelled `let v = *c; *c = v +
/// 1` (a `Deref` read, then a `DerefMut` write) instead of `*c += 1` (which
/// goes through `DerefMut` only), to see whether the mark depends on it.
fn scenario_explicit_read() -> Scenario<u32> {
    Scenario::new("b03::split_check_explicit_read", || {
        let customers = Arc::new(Mutex::new(0u32).named("customers"));
        let handles: Vec<_> = ["c1", "c2"]
            .into_iter()
            .map(|name| {
                let c = Arc::clone(&customers);
                thread::Builder::new()
                    .name(name)
                    .spawn(move || {
                        let full = *c.lock().unwrap() == N;
                        if !full {
                            let mut g = c.lock().unwrap();
                            let v = *g;
                            *g = v + 1;
                        }
                    })
                    .unwrap()
            })
            .collect();
        for h in handles {
            h.join().unwrap();
        }
        let n = *customers.lock().unwrap();
        n
    })
    .expect("at most 1 customer in the shop", |n| {
        if *n <= N {
            Grade::Acceptable
        } else {
            Grade::Forbidden
        }
    })
}

#[test]
fn b03_probe_explicit_read_loom() {
    common::racy(&scenario_explicit_read(), &Explorer::loom());
}
