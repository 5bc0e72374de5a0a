//! Speed-up of the lecture's integral (∫₀^π sin x dx = 2, midpoint rule)
//! with the domain split over threads and processes, and what a GIL does to
//! threads.
//!
//! Group `integrate`: [`STEPS`] steps sequential, on 1/2/4/8 scoped threads
//! and in 2 child processes (`racelab worker integrate`, the binary cargo
//! built for this bench); every result is checked against the exact value.
//! Read ratios within one run: `threads/2` ÷ `sequential` is the speed-up.
//! The reference machine has 2 cores, so 4 and 8 threads show
//! oversubscription, not more speed; processes pay a process start each
//! (milliseconds), visible as the gap to `threads/2`.
//!
//! Group `gil`: a GIL built here from `std::sync::Mutex` (the same design as
//! `racelab::gil::Gil`: a switch point every [`SWITCH`] bytecodes, released
//! around I/O), so the bench uses real primitives only. CPU-bound work on 1
//! thread, on 2 without the GIL (≈ ½ the time on 2 cores) and on 2 with it
//! (≈ the same time as 1); I/O-bound jobs (a few bytecodes, then a
//! [`IO_WAIT`] sleep with the GIL released) on 1 and 2 threads under the
//! GIL (≈ ½ the time: the waits overlap).

use std::hint::black_box;
use std::path::Path;
use std::sync::Mutex;
use std::time::Duration;

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion};
use racelab::gil::speedup::work;
use racelab::integrate::{error_bound, lecture, EXACT};

/// Steps of the integral per iteration (tens of ms sequential).
const STEPS: u64 = 2_000_000;
/// Bytecodes of the CPU-bound GIL workload, over all threads.
const CPU_BYTECODES: u64 = 200_000;
/// Bytecodes between two switch points of the GIL.
const SWITCH: u64 = 100;
/// I/O jobs, over all threads, and each one's wait and bytecodes.
const IO_JOBS: u64 = 20;
const IO_WAIT: Duration = Duration::from_micros(500);
const IO_BYTECODES: u64 = 50;

fn check(value: f64) {
    assert!(
        (value - EXACT).abs() <= error_bound(STEPS) + 1e-12,
        "{value} is not within the midpoint error of {EXACT}"
    );
}

fn integrate(c: &mut Criterion) {
    let whole = lecture(STEPS);
    let exe = Path::new(env!("CARGO_BIN_EXE_racelab"));
    let mut g = c.benchmark_group("integrate");
    g.sample_size(10)
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(3));
    g.bench_function("sequential", |b| b.iter(|| check(black_box(&whole).sequential())));
    for k in [1, 2, 4, 8] {
        g.bench_with_input(BenchmarkId::new("threads", k), &k, |b, &k| {
            b.iter(|| check(black_box(&whole).on_threads(k)))
        });
    }
    g.bench_with_input(BenchmarkId::new("processes", 2), &2, |b, &k| {
        b.iter(|| check(whole.on_processes(exe, k).expect("the workers run")))
    });
    g.finish();
}

/// A GIL of std parts: the lock, and a holder's switch points.
struct Held<'a> {
    lock: &'a Mutex<()>,
    guard: Option<std::sync::MutexGuard<'a, ()>>,
    since: u64,
}

impl<'a> Held<'a> {
    fn enter(lock: &'a Mutex<()>) -> Self {
        Held {
            lock,
            guard: Some(lock.lock().unwrap()),
            since: 0,
        }
    }

    fn bytecode(&mut self, i: u64) -> u64 {
        let r = work(i);
        self.since += 1;
        if self.since == SWITCH {
            self.since = 0;
            self.guard = None;
            self.guard = Some(self.lock.lock().unwrap());
        }
        r
    }

    fn io(&mut self) {
        self.guard = None;
        std::thread::sleep(IO_WAIT);
        self.guard = Some(self.lock.lock().unwrap());
    }
}

/// `total` bytecodes over `threads` threads, each under `gil` if given;
/// the XOR of their results (the same however the work is split).
fn cpu(threads: u64, total: u64, gil: Option<&Mutex<()>>) -> u64 {
    std::thread::scope(|s| {
        let handles: Vec<_> = (0..threads)
            .map(|t| {
                s.spawn(move || {
                    let range = total * t / threads..total * (t + 1) / threads;
                    match gil {
                        Some(lock) => {
                            let mut py = Held::enter(lock);
                            range.fold(0, |acc, i| acc ^ py.bytecode(i))
                        }
                        None => range.fold(0, |acc, i| acc ^ work(i)),
                    }
                })
            })
            .collect();
        handles.into_iter().fold(0, |acc, h| acc ^ h.join().unwrap())
    })
}

/// [`IO_JOBS`] jobs over `threads` threads under the GIL.
fn io(threads: u64, lock: &Mutex<()>) -> u64 {
    std::thread::scope(|s| {
        let handles: Vec<_> = (0..threads)
            .map(|t| {
                s.spawn(move || {
                    let mut py = Held::enter(lock);
                    let mut acc = 0;
                    for job in IO_JOBS * t / threads..IO_JOBS * (t + 1) / threads {
                        for i in job * IO_BYTECODES..(job + 1) * IO_BYTECODES {
                            acc ^= py.bytecode(i);
                        }
                        py.io();
                    }
                    acc
                })
            })
            .collect();
        handles.into_iter().fold(0, |acc, h| acc ^ h.join().unwrap())
    })
}

fn gil(c: &mut Criterion) {
    let lock = Mutex::new(());
    let expected = cpu(1, CPU_BYTECODES, None);
    let mut g = c.benchmark_group("gil");
    g.sample_size(10)
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(3));
    g.bench_function("cpu/1_thread", |b| {
        b.iter(|| assert_eq!(cpu(1, CPU_BYTECODES, None), expected))
    });
    g.bench_function("cpu/2_threads_no_gil", |b| {
        b.iter(|| assert_eq!(cpu(2, CPU_BYTECODES, None), expected))
    });
    g.bench_function("cpu/2_threads_gil", |b| {
        b.iter(|| assert_eq!(cpu(2, CPU_BYTECODES, Some(&lock)), expected))
    });
    g.bench_function("io/1_thread_gil", |b| b.iter(|| black_box(io(1, &lock))));
    g.bench_function("io/2_threads_gil", |b| b.iter(|| black_box(io(2, &lock))));
    g.finish();
}

criterion_group!(benches, integrate, gil);
criterion_main!(benches);
