//! Channels: std's `mpsc` against `crossbeam-channel`, with one consumer and
//! one, two or four producers (the parameter is the producer count).
//!
//! Progress reporting (src/progress.rs) and every worker-to-main hand-off in
//! racelab go through a channel; this measures what one message costs as
//! producers contend for the queue's tail. Each iteration sends [`MESSAGES`]
//! messages in all, split evenly among the producers, and the consumer
//! checks their sum like a test. Read the rows as ratios within one run; on
//! a 2-core machine the four-producer rows show oversubscription.

use std::time::Duration;

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};

/// Messages per iteration, all producers together.
const MESSAGES: u64 = 100_000;
const PRODUCERS: [u64; 3] = [1, 2, 4];

/// The sum of 0..MESSAGES, which the consumer must receive.
const fn expected() -> u64 {
    MESSAGES * (MESSAGES - 1) / 2
}

/// Sends `0..MESSAGES` from `producers` threads, each with its own clone of
/// `tx`, drops the original, and checks the sum `receive_all` gets.
fn pump<S: Clone + Send>(producers: u64, tx: S, send: fn(&S, u64), receive_all: impl FnOnce() -> u64) {
    std::thread::scope(|s| {
        for p in 0..producers {
            let tx = tx.clone();
            s.spawn(move || {
                for m in (p..MESSAGES).step_by(producers as usize) {
                    send(&tx, m);
                }
            });
        }
        drop(tx);
        assert_eq!(receive_all(), expected());
    });
}

fn std_mpsc(producers: u64) {
    let (tx, rx) = std::sync::mpsc::channel::<u64>();
    pump(
        producers,
        tx,
        |tx, m| tx.send(m).expect("the consumer is alive"),
        move || rx.iter().sum(),
    );
}

fn std_sync_channel(producers: u64) {
    let (tx, rx) = std::sync::mpsc::sync_channel::<u64>(1024);
    pump(
        producers,
        tx,
        |tx, m| tx.send(m).expect("the consumer is alive"),
        move || rx.iter().sum(),
    );
}

fn crossbeam(producers: u64, bound: Option<usize>) {
    let (tx, rx) = match bound {
        Some(n) => crossbeam_channel::bounded::<u64>(n),
        None => crossbeam_channel::unbounded::<u64>(),
    };
    pump(
        producers,
        tx,
        |tx, m| tx.send(m).expect("the consumer is alive"),
        move || rx.iter().sum(),
    );
}

fn bench(c: &mut Criterion) {
    let mut group = c.benchmark_group("channels");
    group
        .sample_size(10)
        .warm_up_time(Duration::from_millis(300))
        .measurement_time(Duration::from_secs(1))
        .throughput(Throughput::Elements(MESSAGES));
    for producers in PRODUCERS {
        group.bench_function(BenchmarkId::new("std_mpsc", producers), |b| {
            b.iter(|| std_mpsc(producers))
        });
        group.bench_function(BenchmarkId::new("std_sync_channel_1024", producers), |b| {
            b.iter(|| std_sync_channel(producers))
        });
        group.bench_function(BenchmarkId::new("crossbeam_unbounded", producers), |b| {
            b.iter(|| crossbeam(producers, None))
        });
        group.bench_function(BenchmarkId::new("crossbeam_bounded_1024", producers), |b| {
            b.iter(|| crossbeam(producers, Some(1024)))
        });
    }
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
