//! What racelab's facade costs on the hardware backend.
//!
//! `racelab::sync` picks its backend at run time, so every operation on a
//! facade atomic first matches on which backend built it: one enum match per
//! operation, which this bench keeps honest. Here one
//! thread does [`OPS`] uncontended `fetch_add(1, Relaxed)` on a
//! `std::sync::atomic::AtomicU64` (the floor) and on a
//! `racelab::sync::atomic::AtomicU64` built on the hardware backend; the
//! report's "× floor" column is the facade's overhead (the target is at
//! most 1.10). A second pair does the same with an uncontended
//! `Mutex` lock and increment.
//!
//! Both loops go through `black_box` on the atomic so neither is folded
//! away; the final value is checked like a test.

use std::hint::black_box;
use std::sync::atomic::Ordering::Relaxed;
use std::time::Duration;

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};

/// Increments per iteration.
const OPS: u64 = 1_000_000;

/// One group: `OPS` operations by raw std (`floor_std`) and by the facade.
fn pair(c: &mut Criterion, name: &str, floor: fn(), facade: fn()) {
    let mut group = c.benchmark_group(name);
    group
        .sample_size(20)
        .warm_up_time(Duration::from_millis(300))
        .measurement_time(Duration::from_secs(2))
        .throughput(Throughput::Elements(OPS));
    group.bench_function(BenchmarkId::new("floor_std", 1), |b| b.iter(floor));
    group.bench_function(BenchmarkId::new("facade", 1), |b| b.iter(facade));
    group.finish();
}

fn atomics(c: &mut Criterion) {
    pair(
        c,
        "facade_fetch_add",
        || {
            let a = std::sync::atomic::AtomicU64::new(0);
            for _ in 0..OPS {
                black_box(&a).fetch_add(1, Relaxed);
            }
            assert_eq!(a.load(Relaxed), OPS);
        },
        || {
            let a = racelab::sync::atomic::AtomicU64::new(0);
            for _ in 0..OPS {
                black_box(&a).fetch_add(1, Relaxed);
            }
            assert_eq!(a.load(Relaxed), OPS);
        },
    );
}

fn mutexes(c: &mut Criterion) {
    pair(
        c,
        "facade_mutex",
        || {
            let m = std::sync::Mutex::new(0u64);
            for _ in 0..OPS {
                *black_box(&m).lock().unwrap() += 1;
            }
            assert_eq!(*m.lock().unwrap(), OPS);
        },
        || {
            let m = racelab::sync::Mutex::new(0u64);
            for _ in 0..OPS {
                *black_box(&m).lock().unwrap() += 1;
            }
            assert_eq!(*m.lock().unwrap(), OPS);
        },
    );
}

criterion_group!(benches, atomics, mutexes);
criterion_main!(benches);
