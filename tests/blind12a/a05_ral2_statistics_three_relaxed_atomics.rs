//! # Rust Atomics and Locks, ch. 2: statistics in three separate atomics
//!
//! **Source.** Mara Bos, *Rust Atomics and Locks* (O'Reilly, 2023), chapter
//! 2 "Atomics", section "Fetch-and-Modify Operations", "Example: Statistics"
//! (<https://marabos.nl/atomics/atomics.html#example-statistics>). Worker
//! threads process items and, per item, do `num_done.fetch_add(1, Relaxed)`,
//! `total_time.fetch_add(time_taken, Relaxed)` and
//! `max_time.fetch_max(time_taken, Relaxed)`; the main thread loads
//! `total_time`, `max_time`, then `num_done`, and prints the average
//! `total_time / n` and the peak. The book points out that the three values
//! are separate atomics, so the main thread may load them in the middle of a
//! worker's three updates (after `num_done` was incremented but before
//! `total_time` was), and print an average that is too low; it suggests a
//! `Mutex` if that matters.
//!
//! **Program.** Reduced: one worker processes two items of 10 µs each; the
//! main thread takes one snapshot, in the book's order. A consistent snapshot
//! has `total == 10 * n` and `max == 10` when `n > 0`.
//!
//! **Bug.** An atomicity violation, not a memory-ordering one (it happens
//! with `SeqCst` too): main's three loads are meant as one snapshot, and the
//! worker's `fetch_add num_done` lands between them, so main reads `total`
//! from before an item and `num_done` from after it.
//!
//! **Teacher marks** (both backends): main's `load num_done` (the last load
//! of the snapshot), kind `atomicity_violation` ("torn snapshot"): "main's
//! snapshot of total_time (step N) and num_done (step M) is torn: worker's
//! `fetch_add num_done` (step K) landed between". If racelab's execution
//! tears `max_time` instead (max read before the first `fetch_max`), the same
//! mark on the pair (`max_time`, `num_done`). Lenient: the mark on the first
//! load of the pair or on the worker's update that landed between, naming the
//! pair. No mark belongs on the worker's updates as such (each is atomic and
//! correct), nor on the spawn or the join.

use crate::common;
use racelab::explore::{FailureKind, Grade, Scenario};
use racelab::sync::atomic::{AtomicU64, Ordering::Relaxed};
use racelab::sync::{thread, Arc, RwLock};

/// (n, total, max) as the main thread saw them.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
struct Snapshot(u64, u64, u64);

impl std::fmt::Display for Snapshot {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "n = {}, total = {}, max = {}", self.0, self.1, self.2)
    }
}

fn consistent(s: &Snapshot) -> Grade {
    let Snapshot(n, total, max) = *s;
    if n == 0 || (total == 10 * n && max == 10) {
        Grade::Acceptable
    } else {
        Grade::Forbidden
    }
}

const EXPECTED: &str = "n = 0, or total = 10 n and max = 10";

fn racy() -> Scenario<Snapshot> {
    Scenario::new("blind12a::ral2_statistics_three_atomics", || {
        let num_done = Arc::new(AtomicU64::new(0).named("num_done"));
        let total_time = Arc::new(AtomicU64::new(0).named("total_time"));
        let max_time = Arc::new(AtomicU64::new(0).named("max_time"));
        let (d, t, m) = (Arc::clone(&num_done), Arc::clone(&total_time), Arc::clone(&max_time));
        let worker = thread::Builder::new()
            .name("worker")
            .spawn(move || {
                for _ in 0..2 {
                    let time_taken = 10; // process_item(...)
                    d.fetch_add(1, Relaxed);
                    t.fetch_add(time_taken, Relaxed);
                    m.fetch_max(time_taken, Relaxed);
                }
            })
            .unwrap();
        let total = total_time.load(Relaxed);
        let max = max_time.load(Relaxed);
        let n = num_done.load(Relaxed);
        worker.join().unwrap();
        Snapshot(n, total, max)
    })
    .expect(EXPECTED, consistent)
}

#[derive(Debug, Default)]
struct Stats {
    num_done: u64,
    total_time: u64,
    max_time: u64,
}

/// The book's suggestion: one lock around the three statistics.
fn with_lock(rw: bool) -> Scenario<Snapshot> {
    let name = if rw {
        "blind12a::ral2_statistics_rwlock"
    } else {
        "blind12a::ral2_statistics_mutex"
    };
    Scenario::new(name, move || {
        if rw {
            let stats = Arc::new(RwLock::new(Stats::default()).named("stats"));
            let s = Arc::clone(&stats);
            let worker = thread::Builder::new()
                .name("worker")
                .spawn(move || {
                    for _ in 0..2 {
                        let mut g = s.write().unwrap();
                        g.num_done += 1;
                        g.total_time += 10;
                        g.max_time = g.max_time.max(10);
                    }
                })
                .unwrap();
            let snap = {
                let g = stats.read().unwrap();
                Snapshot(g.num_done, g.total_time, g.max_time)
            };
            worker.join().unwrap();
            snap
        } else {
            let stats = Arc::new(racelab::sync::Mutex::new(Stats::default()).named("stats"));
            let s = Arc::clone(&stats);
            let worker = thread::Builder::new()
                .name("worker")
                .spawn(move || {
                    for _ in 0..2 {
                        let mut g = s.lock().unwrap();
                        g.num_done += 1;
                        g.total_time += 10;
                        g.max_time = g.max_time.max(10);
                    }
                })
                .unwrap();
            let snap = {
                let g = stats.lock().unwrap();
                Snapshot(g.num_done, g.total_time, g.max_time)
            };
            worker.join().unwrap();
            snap
        }
    })
    .expect(EXPECTED, consistent)
}

#[test]
fn racy_loom() {
    let r = common::explore(&racy(), &common::loom());
    r.assert_racy(Some(FailureKind::ForbiddenOutcome));
}

#[test]
fn racy_shuttle() {
    let r = common::explore(&racy(), &common::shuttle());
    r.assert_racy(Some(FailureKind::ForbiddenOutcome));
}

#[test]
fn controls_hold() {
    for s in [with_lock(false), with_lock(true)] {
        common::explore(&s, &common::loom()).assert_holds();
        common::explore(&s, &common::shuttle()).assert_holds();
    }
}
