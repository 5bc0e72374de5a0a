//! What the join-in-loop bug costs on real threads: `count` jobs of fixed
//! CPU work take `count ×` one job when joined in the starting loop, and
//! about one job when all are started first (while `count` ≤ cores).
//!
//! Lecture section *threading* (`run_threads`): the serialised loop is
//! correct, only slow — which is why it survives code review. Both runs use
//! the [`Starter`]s of [`super::join_in_loop`] on real threads, so this is
//! the same code the model checkers explore. `std::thread::available_parallelism`
//! says how many threads can run at once; past that, more threads only take
//! turns (the `oversubscription` group of `benches/spawn.rs` measures what
//! that costs). The fix costs nothing here; the times are data, never
//! asserted in tests (a loaded machine changes them). What does not depend
//! on the machine: each job's [`Span`] in the lecture's loop starts after
//! the previous one ended, so they never overlap.

use std::hint::black_box;
use std::time::{Duration, Instant};

use super::join_in_loop::{Job, JoinInLoop, SpawnThenJoin, Starter};
use crate::sync::Arc;

/// Threads that can run at once here (1 if the OS will not say).
pub fn cores() -> usize {
    std::thread::available_parallelism().map_or(1, std::num::NonZero::get)
}

/// `units` rounds of xorshift from `seed`: CPU work that the optimiser
/// cannot skip, with a result to check.
pub fn work(units: u64, seed: u64) -> u64 {
    let mut x = seed.wrapping_mul(0x9e37_79b9_7f4a_7c15) | 1;
    for _ in 0..units {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        x = black_box(x);
    }
    x
}

/// How many units of [`work`] take about `target` on one thread here.
pub fn calibrate(target: Duration) -> u64 {
    let mut units = 1_000u64;
    loop {
        let sample = || {
            let start = Instant::now();
            black_box(work(units, 1));
            start.elapsed()
        };
        let took = sample();
        if took >= Duration::from_millis(20) || units >= 1 << 40 {
            // The faster of two samples: a preempted one overstates the cost.
            let took = took.min(sample());
            let per_unit = took.as_secs_f64() / units as f64;
            return ((target.as_secs_f64() / per_unit.max(1e-12)) as u64).max(1);
        }
        units *= 4;
    }
}

/// When one job ran, from the start of its run.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Span {
    pub start: Duration,
    pub end: Duration,
}

/// Whether any two spans overlap in time (the jobs ran at once).
pub fn overlap(spans: &[Span]) -> bool {
    spans
        .iter()
        .enumerate()
        .any(|(i, a)| spans[i + 1..].iter().any(|b| a.start < b.end && b.start < a.end))
}

/// Elapsed time of one way of running the jobs, what each job computed,
/// and when each ran.
fn run<S: Starter>(jobs: usize, units: u64) -> (Duration, Vec<u64>, Vec<Span>) {
    let origin = Instant::now();
    let job: Job<(u64, Span)> = Arc::new(move |i| {
        let start = origin.elapsed();
        let result = work(units, i as u64);
        (
            result,
            Span {
                start,
                end: origin.elapsed(),
            },
        )
    });
    let (results, spans) = S::run_threads(jobs, job).into_iter().unzip();
    (origin.elapsed(), results, spans)
}

/// The two loops, timed on real threads.
#[derive(Clone, Debug, PartialEq)]
pub struct Timing {
    /// Jobs (threads) per run.
    pub jobs: usize,
    /// `available_parallelism`.
    pub cores: usize,
    /// Units of work per job.
    pub units: u64,
    /// One job alone.
    pub one_job: Duration,
    /// All jobs, joined inside the starting loop.
    pub join_in_loop: Duration,
    /// All jobs, started first, joined after.
    pub spawn_then_join: Duration,
    /// When each job ran, joined inside the loop (never overlapping).
    pub join_in_loop_spans: Vec<Span>,
    /// When each job ran, started first.
    pub spawn_then_join_spans: Vec<Span>,
    /// Both runs returned a result for every job, the same ones.
    pub all_work_done: bool,
}

impl Timing {
    /// `join_in_loop` in units of one job (≈ `jobs`).
    pub fn join_in_loop_jobs(&self) -> f64 {
        ratio(self.join_in_loop, self.one_job)
    }

    /// `spawn_then_join` in units of one job (≈ 1 while `jobs` ≤ cores).
    pub fn spawn_then_join_jobs(&self) -> f64 {
        ratio(self.spawn_then_join, self.one_job)
    }

    /// How many times faster the fix was.
    pub fn speedup(&self) -> f64 {
        ratio(self.join_in_loop, self.spawn_then_join)
    }
}

fn ratio(a: Duration, b: Duration) -> f64 {
    a.as_secs_f64() / b.as_secs_f64().max(1e-9)
}

/// Runs `jobs` jobs of `units` work each: one alone, then all joined in the
/// loop, then all started first.
pub fn measure(jobs: usize, units: u64) -> Timing {
    let (one_job, alone, _) = run::<SpawnThenJoin>(1, units);
    let (join_in_loop, serial, join_in_loop_spans) = run::<JoinInLoop>(jobs, units);
    let (spawn_then_join, parallel, spawn_then_join_spans) = run::<SpawnThenJoin>(jobs, units);
    Timing {
        jobs,
        cores: cores(),
        units,
        one_job,
        join_in_loop,
        spawn_then_join,
        join_in_loop_spans,
        spawn_then_join_spans,
        // Job 0 alone computed what job 0 computed in both runs, and both
        // runs computed the same for every job.
        all_work_done: serial.len() == jobs && serial == parallel && alone.first() == serial.first(),
    }
}
