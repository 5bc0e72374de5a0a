//! **An id allocator that reads its id back** — after *Rust Atomics and
//! Locks*, ch. 2, "Example: ID Allocation": `fetch_add`, then an overflow
//! check (`if id >= MAX { fetch_sub; fail }`). The mistake: the id is not
//! `fetch_add`'s return value but a second load of the counter
//! (`next.load() - 1`), so another thread's `fetch_add` in between hands
//! both threads the same id.
//!
//! Teacher's marks: the read-back load of `next_id`, split from its own
//! `fetch_add` by the other thread's, is an atomicity violation.

use racelab::explore::{FailureKind, Grade, Scenario};
use racelab::sync::atomic::{AtomicU32, Ordering::Relaxed};
use racelab::sync::Arc;
use racelab::trace::{MarkKind, Op};

use crate::support::{mark, spawn, Puzzle, Verdict};

const MAX: u32 = 2;

fn allocate(next: &AtomicU32) -> Option<u32> {
    next.fetch_add(1, Relaxed);
    let id = next.load(Relaxed) - 1;
    if id >= MAX {
        next.fetch_sub(1, Relaxed);
        return None;
    }
    Some(id)
}

pub fn puzzle() -> Puzzle {
    let scenario = Scenario::new("puzzles::id_allocator_readback", || {
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
        name: "id_allocator_readback",
        source: "Rust Atomics and Locks, ch. 2, Example: ID Allocation",
        scenario: Box::new(scenario),
        verdict: Verdict::Fails(FailureKind::ForbiddenOutcome),
        marks: vec![mark(MarkKind::AtomicityViolation, Op::Load, "next_id")],
    }
}

crate::puzzle_tests!();
