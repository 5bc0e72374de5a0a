//! **Check-then-act lazy initialisation of a key** — *Rust Atomics and
//! Locks*, ch. 2, "Example: Lazy Initialization" (`get_x`: load; if 0,
//! compute and store), where the book notes the race is harmless only if
//! `calculate_x()` always returns the same value. Here it does not: it
//! issues a fresh session key each call, so two callers that both see 0
//! each generate and store a key, and one of them goes on using a key that
//! was overwritten. (The book uses `Relaxed`; `SeqCst` here, so the bug is
//! the check-then-act alone.)
//!
//! Teacher's marks: the store of `key` acting on a check (`key == 0`) that
//! the other thread acted on too: a stale check.

use racelab::explore::{FailureKind, Grade, Scenario};
use racelab::sync::atomic::{AtomicU64, Ordering::SeqCst};
use racelab::sync::Arc;
use racelab::trace::{MarkKind, Op};

use crate::support::{mark, spawn, Puzzle, Verdict};

fn get_key(key: &AtomicU64, issued: &AtomicU64) -> u64 {
    let mut k = key.load(SeqCst);
    if k == 0 {
        k = 100 + issued.fetch_add(1, SeqCst);
        key.store(k, SeqCst);
    }
    k
}

pub fn puzzle() -> Puzzle {
    let scenario = Scenario::new("puzzles::lazy_key", || {
        let key = Arc::new(AtomicU64::new(0).named("key"));
        let issued = Arc::new(AtomicU64::new(0).named("keys_issued"));
        let (k, i) = (Arc::clone(&key), Arc::clone(&issued));
        let alice = spawn("alice", move || get_key(&k, &i));
        let (k, i) = (Arc::clone(&key), Arc::clone(&issued));
        let bob = spawn("bob", move || get_key(&k, &i));
        let (a, b) = (alice.join().unwrap(), bob.join().unwrap());
        format!("alice {a}, bob {b}, key {}", key.load(SeqCst))
    })
    .expect("everyone uses the one key", |o: &String| {
        let v: Vec<&str> = o.split(", ").map(|p| p.rsplit(' ').next().unwrap()).collect();
        if v.iter().all(|x| *x == v[0]) {
            Grade::Acceptable
        } else {
            Grade::Forbidden
        }
    });
    Puzzle {
        name: "lazy_key",
        source: "Rust Atomics and Locks ch. 2, Example: Lazy Initialization",
        scenario: Box::new(scenario),
        verdict: Verdict::Fails(FailureKind::ForbiddenOutcome),
        marks: vec![mark(MarkKind::StaleCheck, Op::Store, "key")],
    }
}

crate::puzzle_tests!();
