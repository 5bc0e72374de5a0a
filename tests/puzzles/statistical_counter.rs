//! **A statistical counter read as a stale total** — perfbook (Paul
//! McKenney, *Is Parallel Programming Hard, And, If So, What Can You Do
//! About It?*), ch. 5 "Counting", 5.2 "Statistical Counters": each thread
//! increments its own counter (`WRITE_ONCE`, no atomic RMW), and
//! `read_count()` sums them.
//!
//! Here the reader (main) waits until both updaters have said "finished"
//! on a `Relaxed` counter, then sums the per-thread counters with `Relaxed`
//! loads and takes the sum as the final total. Nothing orders an updater's
//! increment before main's read of it: the total can be stale (**loom
//! only**; shuttle runs atomics as `SeqCst`).
//!
//! Teacher's marks: main's load of a per-thread counter that returns the
//! old value (a stale read; which counter depends on the interleaving),
//! and main's `Relaxed` load of `finished` (no synchronisation).

use racelab::explore::{FailureKind, Scenario};
use racelab::sync::atomic::{AtomicU64, Ordering::Relaxed};
use racelab::sync::{hint, Arc};
use racelab::trace::{MarkKind, Op};

use crate::support::{mark_by, spawn, Puzzle, Verdict};

fn inc_count(mine: &AtomicU64, finished: &AtomicU64) {
    mine.store(mine.load(Relaxed) + 1, Relaxed);
    finished.fetch_add(1, Relaxed);
}

pub fn puzzle() -> Puzzle {
    let scenario = Scenario::new("puzzles::statistical_counter", || {
        let counters = Arc::new([
            AtomicU64::new(0).named("counter_a"),
            AtomicU64::new(0).named("counter_b"),
        ]);
        let finished = Arc::new(AtomicU64::new(0).named("finished"));
        let (c, f) = (Arc::clone(&counters), Arc::clone(&finished));
        let a = spawn("alice", move || inc_count(&c[0], &f));
        let (c, f) = (Arc::clone(&counters), Arc::clone(&finished));
        let b = spawn("bob", move || inc_count(&c[1], &f));
        while finished.load(Relaxed) < 2 {
            hint::spin_loop();
        }
        let total: u64 = counters.iter().map(|c| c.load(Relaxed)).sum();
        a.join().unwrap();
        b.join().unwrap();
        total
    })
    .expect_only(2);
    Puzzle {
        name: "statistical_counter",
        source: "perfbook ch. 5 Counting, 5.2 Statistical Counters",
        scenario: Box::new(scenario),
        verdict: Verdict::LoomOnly(FailureKind::ForbiddenOutcome),
        marks: vec![
            mark_by(MarkKind::StaleRead, Op::Load, "counter_a|counter_b", "main"),
            mark_by(MarkKind::NoSync, Op::Load, "finished", "main"),
        ],
    }
}

crate::puzzle_tests!();
