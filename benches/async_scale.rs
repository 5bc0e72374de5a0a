//! Scale: 10,000 concurrent waits of 100 ms each, as tokio tasks on one
//! thread and as 10,000 OS threads.
//!
//! Lecture section *asyncio*: waiting overlaps. One after the other the
//! waits would take 1,000 s; as tasks on a current-thread runtime they take
//! about 100 ms (one timer wheel, one thread); as threads about 100 ms too,
//! plus the time to start and join 10,000 threads (64 KiB stacks here).
//!
//! If the OS refuses that many threads, the thread row runs with the ones
//! it got and says so on stderr: compare it then as a count, not a ratio.
//! Read the rows as ratios to the 100 ms floor: the overhead above 100 ms
//! is what each kind of waiter costs to start, park, wake and finish.

use std::time::Duration;

use criterion::{criterion_group, criterion_main, Criterion, SamplingMode};
use racelab::asynchrony::scale::{sleeping_tasks, sleeping_threads};

const WAITERS: usize = 10_000;
const EACH: Duration = Duration::from_millis(100);

fn scale(c: &mut Criterion) {
    let (_, started) = sleeping_threads(WAITERS, Duration::from_millis(1));
    if started < WAITERS {
        eprintln!("async_scale: the OS started only {started} of {WAITERS} threads; the thread row uses {started}");
    }
    let mut g = c.benchmark_group("10k_waits_of_100ms");
    g.sampling_mode(SamplingMode::Flat)
        .sample_size(10)
        .warm_up_time(Duration::from_millis(500))
        .measurement_time(Duration::from_secs(3));
    g.bench_function("tokio_tasks_one_thread", |b| {
        b.iter(|| sleeping_tasks(WAITERS, EACH).expect("a current-thread runtime"));
    });
    g.bench_function(format!("os_threads_{started}"), |b| {
        b.iter(|| sleeping_threads(started, EACH));
    });
    g.finish();
}

criterion_group!(benches, scale);
criterion_main!(benches);
