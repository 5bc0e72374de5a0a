//! Georgia Tech CS 6210 (Advanced Operating Systems), exam question
//! "Lock/Barriers" on the counting barrier of the lecture "Barrier
//! synchronization" (question text reproduced at
//! <https://wikicram.com/?p=2211418>):
//!
//! "Consider a cache-coherent multiprocessor. Assume the multiprocessor
//! offers an atomic decrement operation on a shared variable. You decide to
//! provide a barrier synchronization primitive in your OS that is based on
//! the following count-based algorithm:
//!
//! ```c
//! int count = N; // initialized to the number of participating threads
//! barrier() {
//! 1.  decrement(count);
//! 2.  if (count == 0)
//! 3.    count = N;          // last processor to arrive
//! 4.  else
//! 5.    while (count > 0);  // wait for last process
//! 6.  while (count != N);   // to not leave barrier before count reset
//! }
//! ```
//!
//! Identify any two race conditions that will lead to the algorithm not
//! working as written above."
//!
//! Two of the races: (i) line 2 re-reads `count` after the decrement, so an
//! early thread can read a later thread's decrement as its own, both take
//! the "last" branch or (worse) the truly last one takes the `else` branch
//! after the early one reset `count` to N, and spins at line 5 forever;
//! (ii) a thread spinning at line 5 can miss the moment `count` is 0
//! altogether, because the last thread resets it to N at once: it spins
//! forever on `count > 0`.
//!
//! Transcription: `count` is an `AtomicUsize` (the machine's atomic
//! decrement is `fetch_sub`; its plain loads and stores are `SeqCst`, as a
//! cache-coherent, sequentially consistent machine gives), the spins call
//! `hint::spin_loop`. Two threads, `alice` and `bob`, N = 2, one episode;
//! each publishes a value before the barrier and reads the other's after
//! it. Outcome: what each read; the failure is a thread that never leaves.
//!
//! # Teacher marks (written before the first run)
//! The bad execution is a spin that never ends (verdict: `step limit`, a
//! livelock, on both backends). Depending on the race the timeline shows:
//! - race (ii): the last thread's `store count <- 2` (line 3), which erases
//!   the 0 the other thread, spinning at line 5, was waiting to see, kind
//!   `lost_wakeup` (also accepted: `order_violation`, `stale_check`):
//!   "resets count to 2 before alice, spinning on count > 0 since step N,
//!   ever read the 0 of step M: her wake-up came and went unseen".
//! - race (i): the early thread's line-2 `load count -> 0`, which reads the
//!   other thread's decrement, not its own, kind `atomicity_violation`:
//!   "reads bob's write of step N, not its own (step M): the decrement and
//!   its check were meant as one", after which the early thread resets
//!   `count` and the last one spins at line 5 forever.
//!
//! One teacher mark per backend. No mark on the spin loads themselves (a
//! polling loop), on the line-6 spin, on the published values, spawns.
//!
//! Expected verdict: `step limit` on both backends.

use racelab::explore::{FailureKind, Scenario};
use racelab::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use racelab::sync::{hint, thread, Arc, Barrier};

use super::common;

const N: usize = 2;

/// The exam's barrier, line by line.
struct CountingBarrier {
    count: AtomicUsize,
}

impl CountingBarrier {
    fn new() -> Self {
        CountingBarrier {
            count: AtomicUsize::new(N).named("count"),
        }
    }

    fn barrier(&self) {
        self.count.fetch_sub(1, Ordering::SeqCst); // 1. decrement(count)
        if self.count.load(Ordering::SeqCst) == 0 {
            // 2.
            self.count.store(N, Ordering::SeqCst); // 3.
        } else {
            while self.count.load(Ordering::SeqCst) > 0 {
                // 5.
                hint::spin_loop();
            }
        }
        while self.count.load(Ordering::SeqCst) != N {
            // 6.
            hint::spin_loop();
        }
    }
}

/// The lecture's fix: a sense-reversing barrier (the decrement's own
/// result decides who is last; waiters spin on a flag the last one flips).
struct SenseBarrier {
    count: AtomicUsize,
    sense: AtomicBool,
}

impl SenseBarrier {
    fn new() -> Self {
        SenseBarrier {
            count: AtomicUsize::new(N).named("count"),
            sense: AtomicBool::new(false).named("sense"),
        }
    }

    fn barrier(&self, local_sense: &mut bool) {
        *local_sense = !*local_sense;
        if self.count.fetch_sub(1, Ordering::AcqRel) == 1 {
            self.count.store(N, Ordering::Relaxed);
            self.sense.store(*local_sense, Ordering::Release);
        } else {
            while self.sense.load(Ordering::Acquire) != *local_sense {
                hint::spin_loop();
            }
        }
    }
}

/// Each thread publishes its value, crosses the barrier, reads the other's.
fn run(cross: impl Fn(usize) + Send + Sync + 'static) -> String {
    let cross = Arc::new(cross);
    let slots = Arc::new([
        AtomicUsize::new(0).named("alice_value"),
        AtomicUsize::new(0).named("bob_value"),
    ]);
    let handles: Vec<_> = ["alice", "bob"]
        .into_iter()
        .enumerate()
        .map(|(me, name)| {
            let (cross, slots) = (Arc::clone(&cross), Arc::clone(&slots));
            thread::Builder::new()
                .name(name)
                .spawn(move || {
                    slots[me].store(10 + me, Ordering::SeqCst);
                    cross(me);
                    slots[1 - me].load(Ordering::SeqCst)
                })
                .unwrap()
        })
        .collect();
    let mut seen = handles.into_iter().map(|h| h.join().unwrap());
    let (a, b) = (seen.next().unwrap(), seen.next().unwrap());
    format!("alice read {a}, bob read {b}")
}

fn expected() -> String {
    "alice read 11, bob read 10".to_owned()
}

fn racy() -> Scenario<String> {
    Scenario::new("blind11a::gt6210_counting_barrier", || {
        let b = Arc::new(CountingBarrier::new());
        run(move |_| b.barrier())
    })
    .expect_only(expected())
}

/// Control 1: the sense-reversing barrier.
fn fixed_sense() -> Scenario<String> {
    Scenario::new("blind11a::gt6210_sense_reversing_barrier", || {
        let b = Arc::new(SenseBarrier::new());
        run(move |_| {
            let mut local_sense = false;
            b.barrier(&mut local_sense);
        })
    })
    .expect_only(expected())
}

/// Control 2: the facade's `Barrier` (std's API, built on a mutex and a
/// condition variable).
fn fixed_std_barrier() -> Scenario<String> {
    Scenario::new("blind11a::gt6210_std_barrier", || {
        let b = Arc::new(Barrier::new(N).named("barrier"));
        run(move |_| {
            b.wait();
        })
    })
    .expect_only(expected())
}

#[test]
fn racy_loom() {
    let r = common::explore(&racy(), &common::loom());
    r.assert_racy(Some(FailureKind::StepLimit));
}

#[test]
fn racy_shuttle() {
    let r = common::explore(&racy(), &common::shuttle());
    r.assert_racy(Some(FailureKind::StepLimit));
}

#[test]
fn fixes_hold() {
    for s in [fixed_sense(), fixed_std_barrier()] {
        common::explore(&s, &common::loom()).assert_holds();
        common::explore(&s, &common::shuttle()).assert_holds();
    }
}
