//! Measured: what the GIL does to threads' speed-up.
//!
//! Lecture section *GIL*: "with threads it is impossible to use several
//! processor cores", and "the GIL is always free during input/output". Four
//! workloads, each run with the same total work on 1 thread and on N
//! threads; speed-up = time on 1 ÷ time on N:
//!
//! | workload | expected on N cores | why |
//! |---|---|---|
//! | CPU-bound, no GIL | ≈ N× | threads compute on different cores |
//! | CPU-bound, GIL | ≈ 1× | one thread computes at a time, whatever the cores |
//! | I/O-bound, GIL | ≈ N× | a thread waiting for I/O has released the GIL |
//! | I/O-bound, no GIL | ≈ N× | (for comparison) |
//!
//! A "bytecode" is a fixed CPU step ([`work`]); CPU-bound threads run only
//! bytecodes; an I/O-bound job runs a few bytecodes and then waits (a real
//! sleep: the simulated I/O, not synchronisation). Every run folds the
//! results of its bytecodes into a checksum that does not depend on how the
//! work was split, so the table can show that each run did the same work.
//!
//! These are real timings on real threads (`std::thread::scope`), printed,
//! never asserted: on a busy 2-core machine the numbers drift. The
//! criterion bench `cargo bench --bench integrate -- gil` has the careful
//! version.

use std::fmt;
use std::hint::black_box;
use std::time::{Duration, Instant};

use super::Gil;

/// The sizes of the workloads.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Workload {
    /// Bytecodes of the CPU-bound workload, in total over all threads.
    pub cpu_bytecodes: u64,
    /// I/O jobs, in total over all threads.
    pub io_jobs: u64,
    /// Bytecodes each I/O job runs before it waits.
    pub io_bytecodes: u64,
    /// How long each I/O job waits.
    pub io_wait: Duration,
    /// Bytecodes between two switch points of the GIL.
    pub switch_interval: u32,
}

impl Workload {
    /// About 50 ms for each single-threaded run (optimised build): the
    /// whole table, every run the best of three, takes about a second.
    pub const TOUR: Workload = Workload {
        cpu_bytecodes: 500_000,
        io_jobs: 25,
        io_bytecodes: 100,
        io_wait: Duration::from_millis(2),
        switch_interval: 100,
    };
}

/// One bytecode: a fixed amount of arithmetic on its index (a few dozen
/// nanoseconds). The result depends only on `i`.
pub fn work(i: u64) -> u64 {
    let mut x = black_box(i);
    for _ in 0..32 {
        // splitmix64's mixing step.
        x = x.wrapping_add(0x9e37_79b9_7f4a_7c15);
        x = (x ^ (x >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        x = (x ^ (x >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        x ^= x >> 31;
    }
    x
}

/// The bytecodes `[from, to)`, XOR-folded, each under `gil` if given.
fn bytecodes(gil: Option<&Gil>, from: u64, to: u64) -> u64 {
    match gil {
        Some(gil) => {
            let mut py = gil.enter();
            (from..to).fold(0, |acc, i| acc ^ py.bytecode(|| work(i)))
        }
        None => (from..to).fold(0, |acc, i| acc ^ work(i)),
    }
}

/// The slice `[from, to)` of `0..total` that thread `t` of `threads` does.
fn share(total: u64, t: usize, threads: usize) -> (u64, u64) {
    let part = |t: usize| (u128::from(total) * t as u128 / threads as u128) as u64;
    (part(t), part(t + 1))
}

/// Runs `job(t)` on `threads` threads (at least 1) and XORs their results.
fn on_threads(threads: usize, job: impl Fn(usize) -> u64 + Sync) -> u64 {
    let threads = threads.max(1);
    let job = &job;
    std::thread::scope(|s| {
        let handles: Vec<_> = (0..threads).map(|t| s.spawn(move || job(t))).collect();
        handles
            .into_iter()
            .map(|h| h.join().unwrap_or_else(|p| std::panic::resume_unwind(p)))
            .fold(0, |a, b| a ^ b)
    })
}

/// CPU-bound: `total` bytecodes split over `threads` threads; the checksum.
pub fn cpu_bound(threads: usize, total: u64, gil: Option<&Gil>) -> u64 {
    on_threads(threads, |t| {
        let (from, to) = share(total, t, threads.max(1));
        bytecodes(gil, from, to)
    })
}

/// I/O-bound: `w.io_jobs` jobs split over `threads` threads, each job
/// `w.io_bytecodes` bytecodes then a wait of `w.io_wait` (with the GIL
/// released, if there is one); the checksum.
pub fn io_bound(threads: usize, w: &Workload, gil: Option<&Gil>) -> u64 {
    on_threads(threads, |t| {
        let (from, to) = share(w.io_jobs, t, threads.max(1));
        let mut acc = 0;
        for job in from..to {
            let first = job * w.io_bytecodes;
            match gil {
                Some(gil) => {
                    let mut py = gil.enter();
                    for i in first..first + w.io_bytecodes {
                        acc ^= py.bytecode(|| work(i));
                    }
                    py.release_while(|| std::thread::sleep(w.io_wait));
                }
                None => {
                    acc ^= bytecodes(None, first, first + w.io_bytecodes);
                    std::thread::sleep(w.io_wait);
                }
            }
        }
        acc
    })
}

/// One row: a workload on 1 thread and on N (the fastest of [`BEST_OF`] runs each).
#[derive(Clone, Debug, PartialEq)]
pub struct Row {
    pub workload: &'static str,
    pub one: Duration,
    pub many: Duration,
    /// Whether every run produced the checksum of the whole work.
    pub same_work: bool,
}

impl Row {
    /// Time on 1 thread ÷ time on N.
    pub fn speedup(&self) -> f64 {
        self.one.as_secs_f64() / self.many.as_secs_f64().max(1e-9)
    }
}

/// The measured table.
#[derive(Clone, Debug, PartialEq)]
pub struct Table {
    pub threads: usize,
    pub rows: Vec<Row>,
}

impl Table {
    /// Whether every row did the same work on 1 thread as on N.
    pub fn same_work(&self) -> bool {
        self.rows.iter().all(|r| r.same_work)
    }

    /// The row of `workload`.
    pub fn row(&self, workload: &str) -> Option<&Row> {
        self.rows.iter().find(|r| r.workload == workload)
    }
}

impl fmt::Display for Table {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let n = self.threads;
        writeln!(
            f,
            "{:<20} {:>10} {:>12} {:>9}",
            "workload",
            "1 thread",
            format!("{n} threads"),
            "speed-up"
        )?;
        for r in &self.rows {
            writeln!(
                f,
                "{:<20} {:>7.1} ms {:>9.1} ms {:>8.2}×{}",
                r.workload,
                r.one.as_secs_f64() * 1e3,
                r.many.as_secs_f64() * 1e3,
                r.speedup(),
                if r.same_work { "" } else { "  (different results!)" }
            )?;
        }
        Ok(())
    }
}

/// The names of the rows, in order.
pub const CPU_NO_GIL: &str = "CPU-bound, no GIL";
pub const CPU_GIL: &str = "CPU-bound, GIL";
pub const IO_GIL: &str = "I/O-bound, GIL";
pub const IO_NO_GIL: &str = "I/O-bound, no GIL";

/// Each run is repeated this many times and the fastest kept: other
/// processes on the machine only ever make a run slower.
pub const BEST_OF: usize = 3;

/// The fastest of [`BEST_OF`] runs, and whether they all gave `expected`.
fn best(expected: u64, run: impl Fn() -> u64) -> (Duration, bool) {
    let mut fastest = Duration::MAX;
    let mut same = true;
    for _ in 0..BEST_OF {
        let start = Instant::now();
        same &= run() == expected;
        fastest = fastest.min(start.elapsed());
    }
    (fastest, same)
}

fn row(workload: &'static str, threads: usize, expected: u64, run: impl Fn(usize) -> u64) -> Row {
    let (one, a) = best(expected, || run(1));
    let (many, b) = best(expected, || run(threads));
    Row {
        workload,
        one,
        many,
        same_work: a && b,
    }
}

/// What the CPU-bound workload computes, however it is split.
fn cpu_expected(total: u64) -> u64 {
    (0..total).fold(0, |acc, i| acc ^ work(i))
}

/// What the I/O-bound workload computes, however it is split.
fn io_expected(w: &Workload) -> u64 {
    cpu_expected(w.io_jobs * w.io_bytecodes)
}

/// Runs the four workloads on 1 and on `threads` threads, each the best of
/// [`BEST_OF`], checking every run against the checksum a plain loop
/// computes (on the hardware backend: call it outside an exploration).
pub fn measure(threads: usize, w: &Workload) -> Table {
    let gil = Gil::with_switch_interval(w.switch_interval);
    let (cpu, io) = (cpu_expected(w.cpu_bytecodes), io_expected(w));
    let rows = vec![
        row(CPU_NO_GIL, threads, cpu, |n| cpu_bound(n, w.cpu_bytecodes, None)),
        row(CPU_GIL, threads, cpu, |n| cpu_bound(n, w.cpu_bytecodes, Some(&gil))),
        row(IO_GIL, threads, io, |n| io_bound(n, w, Some(&gil))),
        row(IO_NO_GIL, threads, io, |n| io_bound(n, w, None)),
    ];
    Table { threads, rows }
}
