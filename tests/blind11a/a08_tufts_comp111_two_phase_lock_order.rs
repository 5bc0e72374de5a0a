//! Tufts COMP 111 (Operating Systems), midterm exam of Nov 3, 2009,
//! question 1 (<http://www.cs.tufts.edu/comp/111/reviews/midterm/midterm-review05.html>):
//!
//! ```c
//! mutex A, B; // two binary mutex locks
//! void foo() {
//!     lock(A);
//!     lock(B);
//!     something_critical();
//!     unlock(A);
//!     unlock(B);
//!     lock(B);
//!     lock(A);
//!     something_else_critical();
//!     unlock(B);
//!     unlock(A);
//! }
//! ```
//!
//! "Suppose that multiple threads are invoked, all of which execute foo().
//! Based upon these locks alone, can these threads deadlock? If so, how?"
//! Yes: one thread in the second half holds B and waits for A, while
//! another, in the first half, holds A and waits for B. The two orders sit
//! in one function, so two copies of the same code deadlock each other.
//!
//! Transcription: `A` and `B` are `Mutex<u32>`s counting the critical
//! sections run under them (`something_critical` bumps both);
//! `unlock` is dropping the guard, in the exam's order. Two threads `t1`
//! and `t2` run `foo()`. Outcome: the counts after both finish.
//!
//! # Teacher marks (written before the first run)
//! Both backends, same deadlock: one thread (say `t1`) has finished the
//! first half and holds B in the second; the other (`t2`) holds A in the
//! first half.
//! - `t2`'s blocked `lock B` (holding A), kind `deadlock`: "waits for B,
//!   held by t1, which waits for A, held by t2 (a cycle)".
//! - `t1`'s blocked `lock A` (holding B), the same cycle from its end.
//!
//! (Two teacher marks per backend, one per waiting end of the cycle.)
//!
//! No mark on the first half of the thread that already finished it, on
//! the unlocks, spawns, or main's joins as a cause.
//!
//! Expected verdict: `deadlock` on both backends.

use racelab::explore::{FailureKind, Scenario};
use racelab::sync::{thread, Arc, Mutex};

use super::common;

struct Locks {
    a: Mutex<u32>,
    b: Mutex<u32>,
}

fn locks() -> Arc<Locks> {
    Arc::new(Locks {
        a: Mutex::new(0).named("A"),
        b: Mutex::new(0).named("B"),
    })
}

/// The exam's `foo()`.
fn foo(l: &Locks) {
    let mut a = l.a.lock().unwrap(); // lock(A)
    let mut b = l.b.lock().unwrap(); // lock(B)
    *a += 1; // something_critical()
    *b += 1;
    drop(a); // unlock(A)
    drop(b); // unlock(B)
    let mut b = l.b.lock().unwrap(); // lock(B)
    let mut a = l.a.lock().unwrap(); // lock(A)
    *a += 1; // something_else_critical()
    *b += 1;
    drop(b); // unlock(B)
    drop(a); // unlock(A)
}

/// Control 1: the second half takes the locks in the first half's order.
fn foo_ordered(l: &Locks) {
    for _ in 0..2 {
        let mut a = l.a.lock().unwrap();
        let mut b = l.b.lock().unwrap();
        *a += 1;
        *b += 1;
    }
}

/// Control 2: the second half takes B, then only tries A, and backs off
/// (drops B and yields) when A is busy.
fn foo_backoff(l: &Locks) {
    {
        let mut a = l.a.lock().unwrap();
        let mut b = l.b.lock().unwrap();
        *a += 1;
        *b += 1;
    }
    loop {
        let mut b = l.b.lock().unwrap();
        if let Ok(mut a) = l.a.try_lock() {
            *a += 1;
            *b += 1;
            return;
        }
        drop(b);
        thread::yield_now();
    }
}

fn run(name: &str, f: fn(&Locks)) -> Scenario<String> {
    Scenario::new(name, move || {
        let l = locks();
        let handles: Vec<_> = ["t1", "t2"]
            .into_iter()
            .map(|n| {
                let l = Arc::clone(&l);
                thread::Builder::new().name(n).spawn(move || f(&l)).unwrap()
            })
            .collect();
        for h in handles {
            h.join().unwrap();
        }
        let a = *l.a.lock().unwrap();
        let b = *l.b.lock().unwrap();
        format!("A = {a}, B = {b}")
    })
    .expect_only("A = 4, B = 4".to_owned())
}

fn racy() -> Scenario<String> {
    run("blind11a::tufts_two_phase_lock_order", foo)
}

#[test]
fn racy_loom() {
    let r = common::explore(&racy(), &common::loom());
    r.assert_racy(Some(FailureKind::Deadlock));
}

#[test]
fn racy_shuttle() {
    let r = common::explore(&racy(), &common::shuttle());
    r.assert_racy(Some(FailureKind::Deadlock));
}

#[test]
fn fixes_hold() {
    for s in [
        run("blind11a::tufts_two_phase_ordered", foo_ordered),
        run("blind11a::tufts_two_phase_backoff", foo_backoff),
    ] {
        common::explore(&s, &common::loom()).assert_holds();
        common::explore(&s, &common::shuttle()).assert_holds();
    }
}
