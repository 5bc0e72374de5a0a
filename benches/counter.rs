//! Cost of each fix for a shared counter incremented by `T` threads.
//!
//! Every variant makes `T` threads (1, 2, 4) each perform [`OPS`] increments,
//! released together by a [`Barrier`]; the time runs from the barrier's release
//! until the last thread is done, and the total is checked to be `T * OPS`.
//!
//! This bench uses the real primitives (std, `parking_lot`, `crossbeam_utils`),
//! not the racelab facade: the facade's own cost is measured elsewhere.
//!
//! The reference machine has 2 cores, so the 4-thread rows show
//! oversubscription (threads preempted while holding a lock or mid-CAS), not
//! more parallelism. Read the results as ratios within one run (e.g.
//! `fetch_add` at 2 threads vs 1, or `sharded` vs `fetch_add` at 2 threads),
//! not as absolute numbers.

use std::hint::black_box;
use std::sync::atomic::{AtomicU64, Ordering::Relaxed};
use std::sync::{Barrier, Mutex};
use std::time::{Duration, Instant};

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};
use crossbeam_utils::CachePadded;

/// Increments performed by each thread.
const OPS: u64 = 100_000;
const THREADS: [usize; 3] = [1, 2, 4];

/// State shared by the threads of one run. Each variant touches only its own
/// field, so the total is the sum of all of them.
struct Shared {
    mutex_std: Mutex<u64>,
    mutex_parking_lot: parking_lot::Mutex<u64>,
    atomic: AtomicU64,
    slots: Vec<CachePadded<AtomicU64>>,
}

impl Shared {
    fn new(threads: usize) -> Self {
        Self {
            mutex_std: Mutex::new(0),
            mutex_parking_lot: parking_lot::Mutex::new(0),
            atomic: AtomicU64::new(0),
            slots: (0..threads).map(|_| CachePadded::new(AtomicU64::new(0))).collect(),
        }
    }

    fn total(&self) -> u64 {
        *self.mutex_std.lock().unwrap()
            + *self.mutex_parking_lot.lock()
            + self.atomic.load(Relaxed)
            + self.slots.iter().map(|s| s.load(Relaxed)).sum::<u64>()
    }
}

/// The work of one thread: `OPS` increments, given its thread index.
type Work = fn(&Shared, usize);

fn mutex_std(s: &Shared, _: usize) {
    for _ in 0..OPS {
        *s.mutex_std.lock().unwrap() += 1;
    }
}

fn mutex_parking_lot(s: &Shared, _: usize) {
    for _ in 0..OPS {
        *s.mutex_parking_lot.lock() += 1;
    }
}

fn fetch_add(s: &Shared, _: usize) {
    for _ in 0..OPS {
        s.atomic.fetch_add(1, Relaxed);
    }
}

fn cas_loop(s: &Shared, _: usize) {
    for _ in 0..OPS {
        let mut cur = s.atomic.load(Relaxed);
        while let Err(actual) = s.atomic.compare_exchange_weak(cur, cur + 1, Relaxed, Relaxed) {
            cur = actual;
        }
    }
}

fn sharded(s: &Shared, i: usize) {
    for _ in 0..OPS {
        s.slots[i].fetch_add(1, Relaxed);
    }
}

fn thread_local(s: &Shared, _: usize) {
    let mut local = 0u64;
    for _ in 0..OPS {
        // black_box keeps the loop from being folded into `local = OPS`.
        local = black_box(local + 1);
    }
    s.atomic.fetch_add(local, Relaxed);
}

const VARIANTS: [(&str, Work); 6] = [
    ("mutex_std", mutex_std),
    ("mutex_parking_lot", mutex_parking_lot),
    ("fetch_add", fetch_add),
    ("cas_loop", cas_loop),
    ("sharded", sharded),
    ("thread_local", thread_local),
];

/// One run: `threads` threads race from a barrier; returns the time from its
/// release (the first thread out) until the last thread is done, after
/// checking the total. Each thread stamps its own start and end, so the time
/// does not depend on when the spawning thread gets scheduled again.
fn run(name: &str, work: Work, threads: usize) -> Duration {
    let shared = Shared::new(threads);
    let barrier = Barrier::new(threads);
    let spans: Vec<(Instant, Instant)> = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..threads)
            .map(|i| {
                let (shared, barrier) = (&shared, &barrier);
                scope.spawn(move || {
                    barrier.wait();
                    let start = Instant::now();
                    work(shared, i);
                    (start, Instant::now())
                })
            })
            .collect();
        handles.into_iter().map(|h| h.join().unwrap()).collect()
    });
    let start = spans.iter().map(|s| s.0).min().unwrap();
    let end = spans.iter().map(|s| s.1).max().unwrap();
    let (total, expected) = (shared.total(), threads as u64 * OPS);
    assert_eq!(total, expected, "{name} with {threads} threads lost increments");
    end - start
}

fn bench(c: &mut Criterion) {
    let mut group = c.benchmark_group("counter");
    group
        .sample_size(10)
        .warm_up_time(Duration::from_millis(300))
        .measurement_time(Duration::from_secs(1));
    for (name, work) in VARIANTS {
        for threads in THREADS {
            group.throughput(Throughput::Elements(threads as u64 * OPS));
            group.bench_function(BenchmarkId::new(name, threads), |b| {
                b.iter_custom(|iters| (0..iters).map(|_| run(name, work, threads)).sum());
            });
        }
    }
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
