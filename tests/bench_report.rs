//! `racelab bench-report` and `racelab::bench_report`: criterion's saved
//! results, read back; ratios to the floor and the best at the same thread
//! count; scaling efficiency; the report and its plots. Built on a
//! synthetic criterion folder, so every number is known.

use std::path::Path;
use std::process::Command;

use racelab::bench_report::{analyse, load, plot, render, Machine};

/// Writes one benchmark as criterion saves it: `ns_per_iter` mean, `ops` elements per iteration.
fn save(dir: &Path, group: &str, function: &str, value: &str, ops: u64, ns_per_iter: f64) {
    let d = dir.join(group).join(function).join(value).join("new");
    std::fs::create_dir_all(&d).unwrap();
    let bench = serde_json::json!({
        "group_id": group, "function_id": function, "value_str": value,
        "throughput": {"Elements": ops},
        "full_id": format!("{group}/{function}/{value}"),
        "directory_name": format!("{group}/{function}/{value}"),
        "title": format!("{group}/{function}/{value}"),
    });
    let ci = serde_json::json!({"confidence_level": 0.95, "lower_bound": ns_per_iter * 0.9, "upper_bound": ns_per_iter * 1.1});
    let est = serde_json::json!({
        "mean": {"confidence_interval": ci, "point_estimate": ns_per_iter, "standard_error": 1.0},
        "median": {"confidence_interval": ci, "point_estimate": ns_per_iter, "standard_error": 1.0},
    });
    std::fs::write(d.join("benchmark.json"), bench.to_string()).unwrap();
    std::fs::write(d.join("estimates.json"), est.to_string()).unwrap();
    // An older run beside it, which must be ignored.
    let base = dir.join(group).join(function).join(value).join("base");
    std::fs::create_dir_all(&base).unwrap();
    std::fs::write(base.join("benchmark.json"), bench.to_string()).unwrap();
}

/// `floor` scales perfectly; `locked` does not scale at all; `cases` is labelled, not by threads.
fn fixture(dir: &Path) {
    // 1 thread: 1000 ops in 1000 ns (1 ns/op); 2 threads: 2000 ops in 1000 ns.
    save(dir, "counter", "floor", "1", 1000, 1000.0);
    save(dir, "counter", "floor", "2", 2000, 1000.0);
    // 4 ns/op alone; 2 threads take twice as long for twice the work... and then some.
    save(dir, "counter", "locked", "1", 1000, 4000.0);
    save(dir, "counter", "locked", "2", 2000, 16000.0);
    save(dir, "cases", "a", "90r", 10, 100.0);
    save(dir, "cases", "b", "90r", 10, 300.0);
}

#[test]
fn ratios_compare_rows_at_the_same_thread_count() {
    let dir = tempfile::tempdir().unwrap();
    fixture(dir.path());
    let measurements = load(dir.path()).unwrap();
    assert_eq!(measurements.len(), 6, "base/ runs are not read: {measurements:?}");
    let groups = analyse(&measurements);
    let counter = groups.iter().find(|g| g.name == "counter").unwrap();
    let row = |f: &str, t: usize| {
        counter
            .rows
            .iter()
            .find(|r| r.measurement.function == f && r.measurement.threads() == Some(t))
            .unwrap()
    };
    assert!((row("locked", 1).vs_floor.unwrap() - 4.0).abs() < 1e-9);
    assert!((row("locked", 2).vs_floor.unwrap() - 16.0).abs() < 1e-9);
    assert!((row("floor", 2).vs_best - 1.0).abs() < 1e-9);
    assert!((row("floor", 2).efficiency.unwrap() - 1.0).abs() < 1e-9);
    // 2000 ops in 16 µs vs 1000 ops in 4 µs: a quarter of the throughput per thread.
    assert!((row("locked", 2).efficiency.unwrap() - 0.25).abs() < 1e-9);
    let cases = groups.iter().find(|g| g.name == "cases").unwrap();
    assert!(!cases.scales_with_threads());
    assert!(cases
        .rows
        .iter()
        .all(|r| r.vs_floor.is_none() && r.efficiency.is_none()));
}

#[test]
fn the_report_has_a_table_per_group_and_plots_only_thread_groups() {
    let dir = tempfile::tempdir().unwrap();
    fixture(dir.path());
    let groups = analyse(&load(dir.path()).unwrap());
    let machine = Machine::current();
    let text = render(&groups, &machine, &|g: &str| {
        (g == "counter").then(|| "benchmarks/counter.svg".to_owned())
    });
    for needle in [
        "## counter",
        "## cases",
        "× floor",
        "efficiency",
        "benchmarks/counter.svg",
        &machine.date,
        &format!("| cores | {} |", machine.cores),
        "| locked | 2 | 8.00 | 125 M | 16.00 | 16.00 | 0.25 |",
    ] {
        assert!(text.contains(needle), "no `{needle}` in:\n{text}");
    }
    let svg = plot(groups.iter().find(|g| g.name == "counter").unwrap()).expect("a thread group has a plot");
    assert!(svg.starts_with("<svg") && svg.trim_end().ends_with("</svg>"));
    assert_eq!(svg.matches("<polyline").count(), 2, "one line per variant");
    assert!(plot(groups.iter().find(|g| g.name == "cases").unwrap()).is_none());
}

#[test]
fn the_command_writes_the_report_and_its_plots() {
    let dir = tempfile::tempdir().unwrap();
    let results = dir.path().join("criterion");
    fixture(&results);
    let out = dir.path().join("BENCHMARKS.md");
    let o = Command::new(env!("CARGO_BIN_EXE_racelab"))
        .args(["bench-report", "--criterion"])
        .arg(&results)
        .arg("--out")
        .arg(&out)
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(0), "{}", String::from_utf8_lossy(&o.stderr));
    assert!(std::fs::read_to_string(&out).unwrap().contains("## counter"));
    assert!(dir.path().join("benches/plots/counter.svg").is_file());
    assert!(!dir.path().join("benches/plots/cases.svg").exists());
}

#[test]
fn no_results_is_bad_usage_that_says_to_run_the_benches() {
    let dir = tempfile::tempdir().unwrap();
    let o = Command::new(env!("CARGO_BIN_EXE_racelab"))
        .args(["bench-report", "--criterion"])
        .arg(dir.path())
        .arg("--out")
        .arg(dir.path().join("B.md"))
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("cargo bench"), "{err}");
    assert!(!dir.path().join("B.md").exists(), "nothing written");
}
