//! **A ticket lock, two flavours** — the ticket lock of Mellor-Crummey and
//! Scott, "Algorithms for Scalable Synchronization on Shared-Memory
//! Multiprocessors" (1991), as Linux's ticket spinlock and perfbook's
//! locking chapter describe it: `my = next_ticket.fetch_add(1); while
//! now_serving != my {}; critical section; now_serving = my + 1`.
//!
//! * `relaxed` (broken, **loom only**): every access `Relaxed`, so the next
//!   holder's load of `now_serving` does not synchronise with the previous
//!   holder's store, and their critical sections (a plain `UnsafeCell`,
//!   `room`) race. Teacher's marks: the load of `now_serving` that ends the
//!   wait (no synchronisation), and the data race on `room`.
//! * `acquire_release` (correct): `Acquire` load, `Release` store.

use racelab::explore::{FailureKind, Scenario};
use racelab::sync::atomic::{AtomicU32, Ordering};
use racelab::sync::cell::UnsafeCell;
use racelab::sync::{hint, Arc};
use racelab::trace::{MarkKind, Op};

use crate::support::{mark, spawn, Puzzle, Verdict};

struct TicketLock {
    next_ticket: AtomicU32,
    now_serving: AtomicU32,
    room: UnsafeCell<u32>,
}

// SAFETY: `room` is only touched while holding the ticket lock.
unsafe impl Sync for TicketLock {}

fn visit(l: &TicketLock, load: Ordering, store: Ordering) {
    let my = l.next_ticket.fetch_add(1, Ordering::Relaxed);
    while l.now_serving.load(load) != my {
        hint::spin_loop();
    }
    l.room.with_mut(|r| unsafe { *r += 1 });
    l.now_serving.store(my + 1, store);
}

fn scenario(name: &'static str, load: Ordering, store: Ordering) -> Scenario<u32> {
    Scenario::new(name, move || {
        let lock = Arc::new(TicketLock {
            next_ticket: AtomicU32::new(0).named("next_ticket"),
            now_serving: AtomicU32::new(0).named("now_serving"),
            room: UnsafeCell::new(0).named("room"),
        });
        let l = Arc::clone(&lock);
        let a = spawn("alice", move || visit(&l, load, store));
        let l = Arc::clone(&lock);
        let b = spawn("bob", move || visit(&l, load, store));
        a.join().unwrap();
        b.join().unwrap();
        lock.room.with(|r| unsafe { *r })
    })
    .expect_only(2)
}

pub mod relaxed {
    use super::*;

    pub fn puzzle() -> Puzzle {
        Puzzle {
            name: "ticket_lock::relaxed",
            source: "Mellor-Crummey & Scott 1991 ticket lock, with Relaxed orderings",
            scenario: Box::new(scenario(
                "puzzles::ticket_lock_relaxed",
                Ordering::Relaxed,
                Ordering::Relaxed,
            )),
            verdict: Verdict::LoomOnly(FailureKind::DataRace),
            marks: vec![
                mark(MarkKind::NoSync, Op::Load, "now_serving"),
                mark(MarkKind::DataRace, Op::CellWrite, "room"),
            ],
        }
    }

    crate::puzzle_tests!();
}

pub mod acquire_release {
    use super::*;

    pub fn puzzle() -> Puzzle {
        Puzzle {
            name: "ticket_lock::acquire_release",
            source: "Mellor-Crummey & Scott 1991 ticket lock",
            scenario: Box::new(scenario(
                "puzzles::ticket_lock_acquire_release",
                Ordering::Acquire,
                Ordering::Release,
            )),
            verdict: Verdict::Holds,
            marks: vec![],
        }
    }

    crate::puzzle_tests!();
}
