//! **A barrier reused across rounds, broken** — *The Little Book of
//! Semaphores*, 3.7 "Reusable barrier", non-solution #1 (3.7.2): a two-phase
//! barrier whose count is changed under `mutex` but checked outside it:
//!
//! ```text
//! mutex.wait(); count += 1; mutex.signal()
//! if count == n: turnstile.signal()
//! turnstile.wait(); turnstile.signal()
//! mutex.wait(); count -= 1; mutex.signal()
//! if count == 0: turnstile.wait()
//! ```
//!
//! Two threads, two rounds. Both can read `count == n` and both signal, so
//! the turnstile keeps a permit into the next round and a thread passes the
//! round-2 barrier before the other has arrived (a forbidden outcome); and
//! both can read `count == 0`, both take a permit, and a thread waits on the
//! turnstile for ever (a deadlock). Both explorers meet the forbidden
//! outcome first; it is the headline, and the deadlock found later is
//! reported beside it. The turnstile is a semaphore built from `Mutex` +
//! `Condvar` (`support.rs`); `count` an atomic changed only under `mutex`.
//!
//! Teacher's marks: the load of `count` that reads the other thread's
//! change rather than its own (its decrement and its check were meant as
//! one): an atomicity violation.

use racelab::explore::{FailureKind, Scenario};
use racelab::sync::atomic::{AtomicUsize, Ordering::SeqCst};
use racelab::sync::{Arc, Mutex};
use racelab::trace::{MarkKind, Op};

use crate::support::{mark, spawn, Puzzle, Semaphore, Verdict};

const N: usize = 2;

struct Barrier {
    mutex: Mutex<()>,
    count: AtomicUsize,
    turnstile: Semaphore,
}

impl Barrier {
    fn wait(&self) {
        {
            let _g = self.mutex.lock().unwrap();
            self.count.store(self.count.load(SeqCst) + 1, SeqCst);
        }
        if self.count.load(SeqCst) == N {
            self.turnstile.release();
        }
        self.turnstile.acquire();
        self.turnstile.release();
        {
            let _g = self.mutex.lock().unwrap();
            self.count.store(self.count.load(SeqCst) - 1, SeqCst);
        }
        if self.count.load(SeqCst) == 0 {
            self.turnstile.acquire();
        }
    }
}

fn rounds(b: &Barrier, arrived: &[AtomicUsize; 2]) -> bool {
    let mut early = false;
    for r in arrived {
        r.fetch_add(1, SeqCst);
        b.wait();
        early |= r.load(SeqCst) < N;
    }
    early
}

pub fn puzzle() -> Puzzle {
    let scenario = Scenario::new("puzzles::reusable_barrier", || {
        let barrier = Arc::new(Barrier {
            mutex: Mutex::new(()).named("mutex"),
            count: AtomicUsize::new(0).named("count"),
            turnstile: Semaphore::new(0, "turnstile"),
        });
        let arrived = Arc::new([
            AtomicUsize::new(0).named("arrived1"),
            AtomicUsize::new(0).named("arrived2"),
        ]);
        let (b, a) = (Arc::clone(&barrier), Arc::clone(&arrived));
        let alice = spawn("alice", move || rounds(&b, &a));
        let (b, a) = (Arc::clone(&barrier), Arc::clone(&arrived));
        let bob = spawn("bob", move || rounds(&b, &a));
        let early = alice.join().unwrap() | bob.join().unwrap();
        if early {
            "a thread passed a round early"
        } else {
            "in step"
        }
    })
    .expect_only("in step");
    Puzzle {
        name: "reusable_barrier",
        source: "Little Book of Semaphores 3.7.2, reusable barrier non-solution #1",
        scenario: Box::new(scenario),
        verdict: Verdict::Fails(FailureKind::ForbiddenOutcome),
        marks: vec![mark(MarkKind::AtomicityViolation, Op::Load, "count")],
    }
}

crate::puzzle_tests!();
