//! **An id allocator that never overflows (correct)** — *Rust Atomics and
//! Locks*, ch. 2, "Example: ID Allocation Without Overflow": a
//! compare-exchange loop that checks the bound before it increments.
//!
//! Teacher's marks: none; it holds.

use racelab::explore::{Grade, Scenario};
use racelab::sync::atomic::{AtomicU32, Ordering::Relaxed};
use racelab::sync::Arc;

use crate::support::{spawn, Puzzle, Verdict};

const MAX: u32 = 2;

fn allocate(next: &AtomicU32) -> Option<u32> {
    let mut id = next.load(Relaxed);
    loop {
        if id >= MAX {
            return None;
        }
        match next.compare_exchange(id, id + 1, Relaxed, Relaxed) {
            Ok(_) => return Some(id),
            Err(v) => id = v,
        }
    }
}

pub fn puzzle() -> Puzzle {
    let scenario = Scenario::new("puzzles::id_allocator_cas", || {
        let next = Arc::new(AtomicU32::new(0).named("next_id"));
        let n = Arc::clone(&next);
        let alice = spawn("alice", move || allocate(&n));
        let n = Arc::clone(&next);
        let bob = spawn("bob", move || allocate(&n));
        let (a, b) = (alice.join().unwrap(), bob.join().unwrap());
        format!("alice {a:?}, bob {b:?}")
    })
    .expect("two different ids below MAX", |o: &String| {
        if o == "alice Some(0), bob Some(1)" || o == "alice Some(1), bob Some(0)" {
            Grade::Acceptable
        } else {
            Grade::Forbidden
        }
    });
    Puzzle {
        name: "id_allocator_cas",
        source: "Rust Atomics and Locks, ch. 2, Example: ID Allocation Without Overflow",
        scenario: Box::new(scenario),
        verdict: Verdict::Holds,
        marks: vec![],
    }
}

crate::puzzle_tests!();
