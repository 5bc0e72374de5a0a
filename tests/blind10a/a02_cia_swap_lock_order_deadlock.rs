//! # swap(a, b) and swap(b, a): each locks its first argument first (Williams §3.2.4)
//!
//! **Source.** Anthony Williams, *C++ Concurrency in Action*, 2nd ed.,
//! §3.2.4 "Deadlock: the problem and a solution" and listing 3.6 (`friend
//! void swap(X& lhs, X& rhs)`, fixed there with `std::lock`). The text:
//! "consider an operation that exchanges data between two instances of the
//! same class ... if two threads try to exchange data between the same two
//! instances with the parameters swapped, you have deadlock"
//! (<https://github.com/anthonywilliams/ccia_code_samples/blob/master/listings/listing_3.6.cpp>).
//!
//! **Program.** `X { m: mutex, some_detail }`; the naive `swap(lhs, rhs)`
//! locks `lhs.m`, then `rhs.m`, then swaps the details. alice runs
//! `swap(x, y)`, bob `swap(y, x)`.
//!
//! **Bug.** Lock-order inversion: alice holds `x.m` and waits for `y.m`, bob
//! holds `y.m` and waits for `x.m`. Every thread (main in `join`) waits.
//!
//! **Teacher marks** (written before the first run). In the deadlocked
//! execution:
//! 1. alice's blocked `lock y.m`: kind `deadlock`, "alice holds x.m and waits
//!    for y.m, which bob holds".
//! 2. bob's blocked `lock x.m`: kind `deadlock`, "bob holds y.m and waits for
//!    x.m, which alice holds: a cycle".
//!
//! (A mark naming the cycle once, on one of the two, with both edges in its
//! text, counts strict for that one and lenient for the other.) No mark on
//! the two successful first locks as such (they are the "holds" half of the
//! sentence, not a wrong step), nor on main's spawns; a mark on main's
//! blocked `join` is true but not required.
//!
//! **Control.** Williams's advice (§3.2.4, and the hierarchical mutex of
//! listing 3.8): always lock the two mutexes in one global order, here by
//! the objects' ids, whichever argument comes first.

use racelab::explore::{FailureKind, Scenario};
use racelab::sync::{thread, Arc, Mutex};

use crate::common;

struct X {
    id: u32,
    /// `some_detail`, guarded by `m` (one mutex holding the detail, Rust's way).
    m: Mutex<u32>,
}

/// The naive swap: lhs first, then rhs.
fn swap_naive(lhs: &X, rhs: &X) {
    if std::ptr::eq(lhs, rhs) {
        return;
    }
    let mut a = lhs.m.lock().unwrap();
    let mut b = rhs.m.lock().unwrap();
    std::mem::swap(&mut *a, &mut *b);
}

/// Lock in id order, whatever the argument order.
fn swap_ordered(lhs: &X, rhs: &X) {
    if std::ptr::eq(lhs, rhs) {
        return;
    }
    let (first, second) = if lhs.id < rhs.id { (lhs, rhs) } else { (rhs, lhs) };
    let mut a = first.m.lock().unwrap();
    let mut b = second.m.lock().unwrap();
    std::mem::swap(&mut *a, &mut *b);
}

fn scenario(name: &'static str, swap: fn(&X, &X)) -> Scenario<String> {
    Scenario::new(name, move || {
        let x = Arc::new(X {
            id: 1,
            m: Mutex::new(10).named("x.m"),
        });
        let y = Arc::new(X {
            id: 2,
            m: Mutex::new(20).named("y.m"),
        });
        let (x1, y1) = (Arc::clone(&x), Arc::clone(&y));
        let alice = thread::Builder::new()
            .name("alice")
            .spawn(move || swap(&x1, &y1))
            .unwrap();
        let (x2, y2) = (Arc::clone(&x), Arc::clone(&y));
        let bob = thread::Builder::new()
            .name("bob")
            .spawn(move || swap(&y2, &x2))
            .unwrap();
        alice.join().unwrap();
        bob.join().unwrap();
        let (vx, vy) = (*x.m.lock().unwrap(), *y.m.lock().unwrap());
        format!("x={vx} y={vy}")
    })
    // Two swaps give back the start.
    .expect_only("x=10 y=20".to_string())
}

#[test]
fn racy_under_loom() {
    let report = common::explore(&scenario("cia::swap_naive", swap_naive), &common::loom());
    report.assert_racy(Some(FailureKind::Deadlock));
}

#[test]
fn racy_under_shuttle() {
    let report = common::explore(&scenario("cia::swap_naive", swap_naive), &common::shuttle());
    report.assert_racy(Some(FailureKind::Deadlock));
}

#[test]
fn ordered_holds() {
    for explorer in [common::loom(), common::shuttle()] {
        common::explore(&scenario("cia::swap_ordered", swap_ordered), &explorer).assert_holds();
    }
}
