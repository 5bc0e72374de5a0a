//! What starting a thread costs next to starting a process, and what more
//! threads than cores cost (lecture section *threading* vs *multiprocessing*).
//!
//! Group `spawn`:
//! - `thread`: `std::thread::spawn` of an empty closure, then `join`;
//! - `process`: `racelab --version` started with `std::process::Command`,
//!   its output discarded, and waited for. That is a whole process: `fork`/
//!   `exec` (or `posix_spawn`), loading and linking the binary, clap parsing
//!   its arguments, printing, exit, and reaping — what a
//!   `multiprocessing.Process` pays before doing any work, less the
//!   interpreter start-up Python adds on top;
//! - `tokio_task`: `tokio::spawn` of an empty async block on a
//!   current-thread runtime (built once), then `.await` on its handle: an
//!   allocation and a trip through the scheduler's queue, no OS call.
//!
//! Group `oversubscription`: a fixed total of CPU work (`TOTAL_UNITS`
//! xorshift rounds) split evenly across 1, `cores`, 2 × `cores` and
//! 8 × `cores` threads (`cores` from `std::thread::available_parallelism`);
//! the results are checked against the single-threaded ones, like a test.
//! Past `cores`, threads only take turns: the time cannot improve, and what
//! it grows by is the cost of spawning, switching and cache refills.
//!
//! Real std primitives, not the racelab facade. Read the results as ratios
//! within one run (process / thread; `8×cores` / `cores`), not as absolute
//! numbers: the reference machine has 2 cores, shared.

use std::hint::black_box;
use std::process::{Command, Stdio};
use std::time::Duration;

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};

/// Units of xorshift work per run of the oversubscription group, split over
/// the threads.
const TOTAL_UNITS: u64 = 8_000_000;

fn cores() -> usize {
    std::thread::available_parallelism().map_or(1, std::num::NonZero::get)
}

/// `units` rounds of xorshift from `seed` (the same work as
/// `racelab::threads::timing::work`, repeated so this bench uses no racelab
/// code).
fn work(units: u64, seed: u64) -> u64 {
    let mut x = seed.wrapping_mul(0x9e37_79b9_7f4a_7c15) | 1;
    for _ in 0..units {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        x = black_box(x);
    }
    x
}

/// Slices of `TOTAL_UNITS` for `threads` threads: (seed, units), summing
/// to the total.
fn slices(threads: usize) -> Vec<(u64, u64)> {
    let n = threads as u64;
    (0..n)
        .map(|i| (i, TOTAL_UNITS / n + u64::from(i < TOTAL_UNITS % n)))
        .collect()
}

/// The work split over `threads` threads, each started before any is joined.
fn split(threads: usize) -> Vec<u64> {
    let handles: Vec<_> = slices(threads)
        .into_iter()
        .map(|(seed, units)| std::thread::spawn(move || work(units, seed)))
        .collect();
    handles
        .into_iter()
        .map(|h| h.join().expect("a worker panicked"))
        .collect()
}

fn spawn(c: &mut Criterion) {
    let mut group = c.benchmark_group("spawn");
    group
        .sample_size(20)
        .warm_up_time(Duration::from_millis(300))
        .measurement_time(Duration::from_secs(2));
    group.bench_function("thread", |b| {
        b.iter(|| std::thread::spawn(|| black_box(1u64)).join().expect("an empty thread"));
    });
    let rt = tokio::runtime::Builder::new_current_thread()
        .build()
        .expect("a current-thread runtime");
    group.bench_function("tokio_task", |b| {
        b.iter(|| rt.block_on(async { tokio::spawn(async { black_box(1u64) }).await.expect("an empty task") }));
    });
    let exe = env!("CARGO_BIN_EXE_racelab");
    group.bench_function("process", |b| {
        b.iter(|| {
            let status = Command::new(exe)
                .arg("--version")
                .stdin(Stdio::null())
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .status()
                .expect("start racelab --version");
            assert!(status.success(), "racelab --version failed: {status}");
        });
    });
    group.finish();
}

fn oversubscription(c: &mut Criterion) {
    let cores = cores();
    let mut counts = vec![1, cores, 2 * cores, 8 * cores];
    counts.dedup();
    let expected: Vec<u64> = counts
        .iter()
        .map(|&n| {
            slices(n)
                .into_iter()
                .map(|(seed, units)| work(units, seed))
                .fold(0, u64::wrapping_add)
        })
        .collect();
    let mut group = c.benchmark_group("oversubscription");
    group
        .sample_size(10)
        .warm_up_time(Duration::from_millis(300))
        .measurement_time(Duration::from_secs(3))
        .throughput(Throughput::Elements(TOTAL_UNITS));
    for (&threads, &expected) in counts.iter().zip(&expected) {
        group.bench_function(BenchmarkId::new(format!("threads_of_{cores}_cores"), threads), |b| {
            b.iter(|| {
                let sum = split(threads).into_iter().fold(0, u64::wrapping_add);
                assert_eq!(sum, expected, "{threads} threads computed something else");
            });
        });
    }
    group.finish();
}

criterion_group!(benches, spawn, oversubscription);
criterion_main!(benches);
