//! The counter's cost ladder under criterion: every variant of
//! [`racelab::cost`] (its doc lists them and how a run is timed) at 1, 2, 4
//! and 8 threads. `Throughput::Elements` is `T * ops`, so the throughput is
//! increments per second by all threads together; `racelab bench-report`
//! turns it into time per increment, ratios to `floor` and scaling
//! efficiency. On the reference machine's 2 cores, the 4- and 8-thread rows
//! show oversubscription, not parallelism.

use std::time::Duration;

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};
use racelab::cost::{run, THREADS, VARIANTS};

fn bench(c: &mut Criterion) {
    let mut group = c.benchmark_group("counter");
    group
        .sample_size(10)
        .warm_up_time(Duration::from_millis(200))
        .measurement_time(Duration::from_secs(1));
    for v in &VARIANTS {
        for threads in THREADS {
            group.throughput(Throughput::Elements(threads as u64 * v.ops));
            group.bench_function(BenchmarkId::new(v.name, threads), |b| {
                b.iter_custom(|iters| (0..iters).map(|_| run(v, threads, v.ops)).sum());
            });
        }
    }
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
