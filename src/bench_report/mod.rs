//! Criterion's saved results, read back and turned into `BENCHMARKS.md`:
//! per group, time per operation and throughput at each thread count, each
//! variant's ratio to the group's floor and to the best variant, scaling
//! efficiency, the machine it ran on, and an SVG plot of throughput against
//! threads.
//!
//! Criterion keeps every benchmark's latest estimates under
//! `target/criterion/<group>/<function>/<value>/new/` (`benchmark.json`
//! names it, `estimates.json` holds the statistics). Only numbers measured
//! in the same run are compared: each ratio divides two rows of one group
//! at one thread count.
//!
//! Conventions the benches follow so the report can read them:
//! - the parameter (`BenchmarkId`'s value) is the thread count where the
//!   group scales with threads (other values, such as `90r`, are labels);
//! - the *floor* of a group, the hardware's best case that every variant
//!   is compared with, is the function named `floor` or starting `floor_`;
//! - `Throughput::Elements(n)` is the number of operations per iteration,
//!   so time per iteration ÷ n is the time per operation.

mod machine;
mod markdown;
mod svg;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use thiserror::Error;

pub use machine::Machine;
pub use markdown::render;
pub use svg::plot;

/// What can go wrong reading criterion's results.
#[derive(Debug, Error)]
pub enum ReportError {
    #[error("no criterion results under {0} (run `cargo bench` first)")]
    NoResults(PathBuf),
    #[error("cannot read {path}: {source}")]
    Read { path: PathBuf, source: std::io::Error },
    #[error("{path} is not criterion's format: {source}")]
    Format { path: PathBuf, source: serde_json::Error },
}

/// One benchmark's result: one function of one group at one parameter.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Measurement {
    pub group: String,
    pub function: String,
    /// The parameter as criterion printed it (`2`, `90r`), if any.
    pub value: Option<String>,
    /// Operations per iteration (criterion's `Throughput::Elements`), 1 if not given.
    pub ops_per_iter: u64,
    /// Mean time of one iteration, nanoseconds.
    pub iter_ns: f64,
    /// 95 % confidence interval of that mean.
    pub iter_ns_low: f64,
    pub iter_ns_high: f64,
}

impl Measurement {
    /// Time per operation, nanoseconds.
    pub fn ns_per_op(&self) -> f64 {
        self.iter_ns / self.ops_per_iter as f64
    }

    /// Operations per second.
    pub fn ops_per_sec(&self) -> f64 {
        1e9 / self.ns_per_op()
    }

    /// The thread count, when the parameter is one.
    pub fn threads(&self) -> Option<usize> {
        self.value.as_deref().and_then(|v| v.parse().ok())
    }

    /// Whether this is the group's floor.
    pub fn is_floor(&self) -> bool {
        self.function == "floor" || self.function.starts_with("floor_")
    }
}

#[derive(Deserialize)]
struct BenchmarkJson {
    group_id: String,
    function_id: Option<String>,
    value_str: Option<String>,
    throughput: Option<ThroughputJson>,
}

#[derive(Deserialize)]
enum ThroughputJson {
    Elements(u64),
    Bytes(serde::de::IgnoredAny),
    BytesDecimal(serde::de::IgnoredAny),
}

#[derive(Deserialize)]
struct EstimatesJson {
    mean: Estimate,
}

#[derive(Deserialize)]
struct Estimate {
    point_estimate: f64,
    confidence_interval: Interval,
}

#[derive(Deserialize)]
struct Interval {
    lower_bound: f64,
    upper_bound: f64,
}

fn read_json<T: serde::de::DeserializeOwned>(path: &Path) -> Result<T, ReportError> {
    let text = std::fs::read_to_string(path).map_err(|source| ReportError::Read {
        path: path.to_owned(),
        source,
    })?;
    serde_json::from_str(&text).map_err(|source| ReportError::Format {
        path: path.to_owned(),
        source,
    })
}

/// Every measurement saved under `dir` (criterion's output folder,
/// normally `target/criterion`), sorted by group, function and threads.
pub fn load(dir: &Path) -> Result<Vec<Measurement>, ReportError> {
    let mut found = Vec::new();
    let mut stack = vec![dir.to_owned()];
    while let Some(d) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&d) else {
            continue;
        };
        for entry in entries.flatten() {
            let path = entry.path();
            if !path.is_dir() {
                continue;
            }
            // `report/` holds criterion's HTML; `base/` and `change/` older runs.
            match path.file_name().and_then(|n| n.to_str()) {
                Some("report" | "base" | "change") => {}
                Some("new") => {
                    if path.join("benchmark.json").is_file() && path.join("estimates.json").is_file() {
                        found.push(path);
                    }
                }
                _ => stack.push(path),
            }
        }
    }
    if found.is_empty() {
        return Err(ReportError::NoResults(dir.to_owned()));
    }
    let mut out = Vec::with_capacity(found.len());
    for d in found {
        let b: BenchmarkJson = read_json(&d.join("benchmark.json"))?;
        let e: EstimatesJson = read_json(&d.join("estimates.json"))?;
        let ops = match b.throughput {
            Some(ThroughputJson::Elements(n)) if n > 0 => n,
            _ => 1,
        };
        out.push(Measurement {
            group: b.group_id,
            function: b.function_id.unwrap_or_else(|| "-".to_owned()),
            value: b.value_str,
            ops_per_iter: ops,
            iter_ns: e.mean.point_estimate,
            iter_ns_low: e.mean.confidence_interval.lower_bound,
            iter_ns_high: e.mean.confidence_interval.upper_bound,
        });
    }
    out.sort_by(|a, b| {
        (&a.group, &a.function, a.threads(), &a.value).cmp(&(&b.group, &b.function, b.threads(), &b.value))
    });
    Ok(out)
}

/// One row of a group's table: a measurement and how it compares.
#[derive(Clone, Debug, Serialize)]
pub struct Row {
    pub measurement: Measurement,
    /// Time per operation ÷ the floor's at the same parameter (1 = as fast as the floor).
    pub vs_floor: Option<f64>,
    /// Time per operation ÷ the best variant's at the same parameter.
    pub vs_best: f64,
    /// Throughput at N threads ÷ (N × throughput at 1 thread).
    pub efficiency: Option<f64>,
}

/// A group's rows, with the ratios computed.
#[derive(Clone, Debug, Serialize)]
pub struct Group {
    pub name: String,
    pub rows: Vec<Row>,
}

impl Group {
    /// Whether the group's parameter is a thread count (worth a plot).
    pub fn scales_with_threads(&self) -> bool {
        !self.rows.is_empty() && self.rows.iter().all(|r| r.measurement.threads().is_some())
    }

    /// The functions, in first-seen order.
    pub fn functions(&self) -> Vec<&str> {
        let mut seen: Vec<&str> = Vec::new();
        for r in &self.rows {
            if !seen.contains(&r.measurement.function.as_str()) {
                seen.push(&r.measurement.function);
            }
        }
        seen
    }
}

/// Groups the measurements and computes each row's ratios.
pub fn analyse(measurements: &[Measurement]) -> Vec<Group> {
    let mut by_group: BTreeMap<&str, Vec<&Measurement>> = BTreeMap::new();
    for m in measurements {
        by_group.entry(&m.group).or_default().push(m);
    }
    by_group
        .into_iter()
        .map(|(name, ms)| {
            let rows = ms
                .iter()
                .map(|m| {
                    let peers: Vec<&&Measurement> = ms.iter().filter(|p| p.value == m.value).collect();
                    let best = peers.iter().map(|p| p.ns_per_op()).fold(f64::INFINITY, f64::min);
                    let floor = peers.iter().find(|p| p.is_floor()).map(|p| p.ns_per_op());
                    let efficiency = m.threads().filter(|&n| n > 0).and_then(|n| {
                        ms.iter()
                            .find(|p| p.function == m.function && p.threads() == Some(1))
                            .map(|one| m.ops_per_sec() / (n as f64 * one.ops_per_sec()))
                    });
                    Row {
                        measurement: (*m).clone(),
                        vs_floor: floor.map(|f| m.ns_per_op() / f),
                        vs_best: m.ns_per_op() / best,
                        efficiency,
                    }
                })
                .collect();
            Group {
                name: name.to_owned(),
                rows,
            }
        })
        .collect()
}
