//! **A lock around half a read-modify-write** — after *Rust Atomics and
//! Locks* (Mara Bos), ch. 1, "Lifetime of the MutexGuard": a guard that is a
//! temporary is dropped at the end of its statement, so
//! `let seen = *balance.lock().unwrap();` unlocks before the write-back,
//! which takes the lock again. Every access is locked; the read-modify-write
//! is not.
//!
//! Alice deposits 10, Bob 20 (different amounts, so every write changes the
//! value a traced lock shows). Expected balance: 30.
//!
//! Teacher's marks: the second critical section's unlock writes a balance
//! computed from the first one's read, over the other deposit: a lost update.

use racelab::explore::{FailureKind, Scenario};
use racelab::sync::{Arc, Mutex};
use racelab::trace::{MarkKind, Op};

use crate::support::{mark, spawn, Puzzle, Verdict};

fn deposit(balance: &Mutex<i64>, amount: i64) {
    let seen = *balance.lock().unwrap();
    *balance.lock().unwrap() = seen + amount;
}

pub fn puzzle() -> Puzzle {
    let scenario = Scenario::new("puzzles::half_locked_deposit", || {
        let balance = Arc::new(Mutex::new(0i64).named("balance").traced());
        let b = Arc::clone(&balance);
        let alice = spawn("alice", move || deposit(&b, 10));
        let b = Arc::clone(&balance);
        let bob = spawn("bob", move || deposit(&b, 20));
        alice.join().unwrap();
        bob.join().unwrap();
        let total = *balance.lock().unwrap();
        total
    })
    .expect_only(30);
    Puzzle {
        name: "half_locked_deposit",
        source: "Rust Atomics and Locks, ch. 1, Lifetime of the MutexGuard",
        scenario: Box::new(scenario),
        verdict: Verdict::Fails(FailureKind::ForbiddenOutcome),
        marks: vec![mark(MarkKind::LostUpdate, Op::Unlock, "balance")],
    }
}

crate::puzzle_tests!();
