//! The explorer itself: model executions per second, with event recording
//! (the timelines) on and off, under shuttle and, built with
//! `--features loom`, under loom.
//!
//! The scenario is `counter::mutex` at 2 threads × 2 increments, small
//! enough for loom to explore completely. One iteration is one whole
//! exploration; the throughput is executions per second (each iteration's
//! execution count is taken from a first exploration and checked on every
//! later one, so the rows are comparable). The "traced" row over the
//! "untraced" row is what recording timelines costs.

use std::time::Duration;

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};
use racelab::catalogue::{self, Params};
use racelab::explore::Explorer;
use racelab::sync::Backend;

const SCENARIO: &str = "counter::mutex";
const SIZES: Params = Params { threads: 2, ops: 2 };

fn group(c: &mut Criterion, backend: Backend, budget: usize) {
    let entry = catalogue::find(SCENARIO).expect("the catalogue has counter::mutex");
    let explorer = Explorer::for_backend(backend).with_budget(budget);
    let executions = entry
        .scenario(SIZES)
        .explore(&explorer)
        .expect("the backend is in this build")
        .executions;
    let mut group = c.benchmark_group(format!("explorer_{backend}"));
    group
        .sample_size(10)
        .warm_up_time(Duration::from_millis(300))
        .measurement_time(Duration::from_secs(2))
        .throughput(Throughput::Elements(executions));
    for (name, tracing) in [("traced", true), ("untraced", false)] {
        let explorer = explorer.clone().with_tracing(tracing);
        group.bench_function(BenchmarkId::new(name, "counter_mutex"), |b| {
            b.iter(|| {
                let report = entry.scenario(SIZES).explore(&explorer).expect("in this build");
                assert!(report.holds(), "{SCENARIO} must hold");
                assert_eq!(report.executions, executions);
            })
        });
    }
    group.finish();
}

fn bench(c: &mut Criterion) {
    group(c, Backend::Shuttle, 200);
    if Backend::Loom.is_available() {
        group(c, Backend::Loom, 200_000);
    }
}

criterion_group!(benches, bench);
criterion_main!(benches);
