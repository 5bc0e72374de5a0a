//! **A compare-exchange counter with a stale read** — after *Rust Atomics
//! and Locks*, ch. 2, "Compare-and-Exchange Operations" (the `increment`
//! loop: load, compute, `compare_exchange(current, new)`, retry with what it
//! saw), with the mistake of passing a *fresh* load as the expected value:
//! `let v = count.load(); ...; count.compare_exchange(count.load(), v + 1)`.
//! The new value comes from the first, stale read; the check from the
//! second: the exchange succeeds over the other thread's increment.
//!
//! Teacher's marks: the successful compare-exchange that writes `v + 1`
//! computed from a read older than the other thread's write: a lost update.

use racelab::explore::{FailureKind, Scenario};
use racelab::sync::atomic::{AtomicU32, Ordering::SeqCst};
use racelab::sync::Arc;
use racelab::trace::{MarkKind, Op};

use crate::support::{mark, spawn, Puzzle, Verdict};

fn increment(count: &AtomicU32) {
    let v = count.load(SeqCst);
    let new = v + 1;
    while count.compare_exchange(count.load(SeqCst), new, SeqCst, SeqCst).is_err() {}
}

pub fn puzzle() -> Puzzle {
    let scenario = Scenario::new("puzzles::cas_stale_expected", || {
        let count = Arc::new(AtomicU32::new(0).named("count"));
        let c = Arc::clone(&count);
        let alice = spawn("alice", move || increment(&c));
        let c = Arc::clone(&count);
        let bob = spawn("bob", move || increment(&c));
        alice.join().unwrap();
        bob.join().unwrap();
        count.load(SeqCst)
    })
    .expect_only(2);
    Puzzle {
        name: "cas_stale_expected",
        source:
            "Rust Atomics and Locks ch. 2, Compare-and-Exchange Operations (increment), with a fresh expected value",
        scenario: Box::new(scenario),
        verdict: Verdict::Fails(FailureKind::ForbiddenOutcome),
        marks: vec![mark(MarkKind::LostUpdate, Op::CompareExchange, "count")],
    }
}

crate::puzzle_tests!();
