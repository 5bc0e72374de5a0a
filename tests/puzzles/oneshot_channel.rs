//! **A one-shot channel, two flavours** — *Rust Atomics and Locks*, ch. 5,
//! "An Unsafe One-Shot Channel": `send` writes the message into an
//! `UnsafeCell` and sets `ready` with `Release`; the receiver spins on
//! `is_ready()` (a `Relaxed` load, as in the book) and then `receive()`
//! takes the message after `ready.swap(false, Acquire)`.
//!
//! * `relaxed_swap` (broken, **loom only**): `receive` swaps with `Relaxed`
//!   instead of `Acquire`: nothing orders the message's write before its
//!   read. Teacher's marks: the `Relaxed` swap of `ready` (no
//!   synchronisation with the `Release` store), and the data race on the
//!   read of `message`.
//! * `acquire_swap` (correct): the book's code.

use racelab::explore::{FailureKind, Scenario};
use racelab::sync::atomic::{AtomicBool, Ordering};
use racelab::sync::cell::UnsafeCell;
use racelab::sync::{hint, Arc};
use racelab::trace::{MarkKind, Op};

use crate::support::{mark, spawn, Puzzle, Verdict};

struct Channel {
    message: UnsafeCell<u64>,
    ready: AtomicBool,
}

// SAFETY: the message is written before `ready` is set and read after it is
// taken (the claim loom checks).
unsafe impl Sync for Channel {}

impl Channel {
    fn send(&self, message: u64) {
        self.message.with_mut(|m| unsafe { *m = message });
        self.ready.store(true, Ordering::Release);
    }

    fn is_ready(&self) -> bool {
        self.ready.load(Ordering::Relaxed)
    }

    fn receive(&self, swap: Ordering) -> u64 {
        if !self.ready.swap(false, swap) {
            panic!("no message available!");
        }
        self.message.with(|m| unsafe { *m })
    }
}

fn scenario(name: &'static str, swap: Ordering) -> Scenario<u64> {
    Scenario::new(name, move || {
        let channel = Arc::new(Channel {
            message: UnsafeCell::new(0).named("message"),
            ready: AtomicBool::new(false).named("ready"),
        });
        let c = Arc::clone(&channel);
        let sender = spawn("sender", move || c.send(42));
        let c = Arc::clone(&channel);
        let receiver = spawn("receiver", move || {
            while !c.is_ready() {
                hint::spin_loop();
            }
            c.receive(swap)
        });
        sender.join().unwrap();
        receiver.join().unwrap()
    })
    .expect_only(42)
}

pub mod relaxed_swap {
    use super::*;

    pub fn puzzle() -> Puzzle {
        Puzzle {
            name: "oneshot_channel::relaxed_swap",
            source: "Rust Atomics and Locks ch. 5, An Unsafe One-Shot Channel, with a Relaxed swap",
            scenario: Box::new(scenario("puzzles::oneshot_relaxed_swap", Ordering::Relaxed)),
            verdict: Verdict::LoomOnly(FailureKind::DataRace),
            marks: vec![
                mark(MarkKind::NoSync, Op::Swap, "ready"),
                mark(MarkKind::DataRace, Op::CellRead, "message"),
            ],
        }
    }

    crate::puzzle_tests!();
}

pub mod acquire_swap {
    use super::*;

    pub fn puzzle() -> Puzzle {
        Puzzle {
            name: "oneshot_channel::acquire_swap",
            source: "Rust Atomics and Locks ch. 5, An Unsafe One-Shot Channel",
            scenario: Box::new(scenario("puzzles::oneshot_acquire_swap", Ordering::Acquire)),
            verdict: Verdict::Holds,
            marks: vec![],
        }
    }

    crate::puzzle_tests!();
}
