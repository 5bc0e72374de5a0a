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
//! that costs). The fix costs nothing here; the numbers are data, never
//! asserted in tests (a loaded machine changes them).

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
        let start = Instant::now();
        black_box(work(units, 1));
        let took = start.elapsed();
        if took >= Duration::from_millis(5) || units >= 1 << 40 {
            let per_unit = took.as_secs_f64() / units as f64;
            return ((target.as_secs_f64() / per_unit.max(1e-12)) as u64).max(1);
        }
        units *= 4;
    }
}

/// Elapsed time of one way of running the jobs, and what each job computed.
fn run<S: Starter>(jobs: usize, units: u64) -> (Duration, Vec<u64>) {
    let job: Job<u64> = Arc::new(move |i| work(units, i as u64));
    let start = Instant::now();
    let results = S::run_threads(jobs, job);
    (start.elapsed(), results)
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
    let (one_job, alone) = run::<SpawnThenJoin>(1, units);
    let (join_in_loop, serial) = run::<JoinInLoop>(jobs, units);
    let (spawn_then_join, parallel) = run::<SpawnThenJoin>(jobs, units);
    Timing {
        jobs,
        cores: cores(),
        units,
        one_job,
        join_in_loop,
        spawn_then_join,
        // Job 0 alone computed what job 0 computed in both runs, and both
        // runs computed the same for every job.
        all_work_done: serial.len() == jobs && serial == parallel && alone.first() == serial.first(),
    }
}
