//! `racelab explore SCENARIO`: the outcome table on each backend, and the
//! timeline of the first bad execution.

use std::fmt::Write;

use anyhow::Context;
use clap::{Args as ClapArgs, ValueEnum};

use super::progress::with_progress;
use super::{style, usage_error, Status};
use crate::catalogue::{self, Entry, Params};
use crate::explore::{render_table, Explorer, Report};
use crate::sync::Backend;

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum BackendArg {
    Hardware,
    Shuttle,
    Loom,
    /// Every backend in this build.
    All,
}

#[derive(Debug, ClapArgs)]
pub(crate) struct Args {
    /// The scenario, as topic::variant (see `racelab list`).
    scenario: String,
    /// Where to run it: real threads, shuttle's randomized schedules, loom's exhaustive search, or all of them.
    #[arg(long, short, value_enum, default_value = "all")]
    backend: BackendArg,
    /// Worker threads [default: 2; loom allows at most 4].
    #[arg(long, short)]
    threads: Option<usize>,
    /// Operations per thread [default: 2 under shuttle and loom, 10000 on hardware].
    #[arg(long)]
    ops: Option<u64>,
    /// Seed of shuttle's scheduler, decimal or 0x-hex [default: 0x5eed].
    #[arg(long, value_parser = parse_seed)]
    seed: Option<u64>,
    /// Runs on real threads [default: 100].
    #[arg(long)]
    runs: Option<usize>,
    /// Schedules shuttle tries [default: 1000].
    #[arg(long)]
    schedules: Option<usize>,
    /// loom's preemption bound: a number, or `none` for every interleaving [default: 3].
    #[arg(long, value_parser = parse_bound)]
    preemption_bound: Option<Bound>,
    /// Stop each model backend at its first failing execution (to see how
    /// soon it finds the bug); the timeline is then that execution's, not
    /// the one with the fewest preemptions.
    #[arg(long, conflicts_with = "replay")]
    first: bool,
    /// Replay one execution by the key a report printed (implies its backend).
    #[arg(long, conflicts_with = "runs")]
    replay: Option<String>,
    /// Print one JSON object instead of tables.
    #[arg(long)]
    json: bool,
}

/// A preemption bound as the user wrote it.
#[derive(Debug, Clone, Copy)]
struct Bound(Option<usize>);

fn parse_bound(s: &str) -> Result<Bound, String> {
    if s == "none" {
        return Ok(Bound(None));
    }
    s.parse()
        .map(|n| Bound(Some(n)))
        .map_err(|_| format!("`{s}` is neither a number nor `none`"))
}

fn parse_seed(s: &str) -> Result<u64, String> {
    let parsed = match s.strip_prefix("0x").or_else(|| s.strip_prefix("0X")) {
        Some(hex) => u64::from_str_radix(hex, 16),
        None => s.parse(),
    };
    parsed.map_err(|_| format!("`{s}` is not a number (decimal, or hex with 0x)"))
}

/// Finds an entry by name, or says which names come close.
pub(crate) fn find_entry(name: &str) -> Result<&'static Entry, String> {
    catalogue::find(name).ok_or_else(|| {
        if let Some(demo) = catalogue::DEMOS.iter().find(|d| d.name == name) {
            return format!(
                "`{name}` is a demo on real threads or processes, not a model-checked scenario: \
                 run it with `racelab tour {}`",
                demo.topic()
            );
        }
        let near = catalogue::closest(name);
        if near.is_empty() {
            format!("no scenario `{name}` (see `racelab list`)")
        } else {
            format!(
                "no scenario `{name}`; did you mean {}?",
                near.iter().map(|n| format!("`{n}`")).collect::<Vec<_>>().join(", ")
            )
        }
    })
}

impl Args {
    fn params(&self, entry: &Entry, backend: Backend) -> Params {
        let d = entry.params(backend);
        Params {
            threads: self.threads.unwrap_or(d.threads),
            ops: self.ops.unwrap_or(d.ops),
        }
    }

    fn explorer(&self, backend: Backend) -> Explorer {
        let mut e = Explorer::for_backend(backend);
        if let Some(seed) = self.seed {
            e = e.with_seed(seed);
        }
        e = match backend {
            Backend::Hardware => self.runs.map(|n| e.clone().with_budget(n)),
            Backend::Shuttle => self.schedules.map(|n| e.clone().with_budget(n)),
            Backend::Loom => self.preemption_bound.map(|b| e.clone().with_preemption_bound(b.0)),
        }
        .unwrap_or(e);
        if self.first {
            e = e.stop_at_first_failure();
        }
        e
    }

    /// The backends asked for, or why they cannot run.
    fn backends(&self) -> Result<(Vec<Backend>, Vec<Backend>), String> {
        if let Some(key) = &self.replay {
            let b = match key.split(':').next() {
                Some("shuttle") => Backend::Shuttle,
                Some("loom") => Backend::Loom,
                _ => {
                    return Err(format!(
                        "`{key}` is not a replay key (they start with `shuttle:` or `loom:`)"
                    ))
                }
            };
            if !matches!(self.backend, BackendArg::All) && self.backend_of() != Some(b) {
                return Err(format!(
                    "replay key `{key}` is for {b}, not {}",
                    self.backend_of().map_or("all", Backend::name)
                ));
            }
            return Ok((vec![b], vec![]));
        }
        let wanted: Vec<Backend> = match self.backend_of() {
            Some(b) => vec![b],
            None => Backend::ALL.to_vec(),
        };
        let (have, missing): (Vec<_>, Vec<_>) = wanted.into_iter().partition(|b| b.is_available());
        if have.is_empty() {
            let b = missing[0];
            return Err(format!(
                "the {b} backend is not in this build; rebuild with it: cargo run --release --features {b} -- explore {}",
                self.scenario
            ));
        }
        Ok((have, missing))
    }

    fn backend_of(&self) -> Option<Backend> {
        match self.backend {
            BackendArg::Hardware => Some(Backend::Hardware),
            BackendArg::Shuttle => Some(Backend::Shuttle),
            BackendArg::Loom => Some(Backend::Loom),
            BackendArg::All => None,
        }
    }
}

pub(crate) fn run(args: &Args) -> anyhow::Result<Status> {
    let entry = match find_entry(&args.scenario) {
        Ok(e) => e,
        Err(message) => return Ok(usage_error(message)),
    };
    let (backends, missing) = match args.backends() {
        Ok(b) => b,
        Err(message) => return Ok(usage_error(message)),
    };
    if entry.fixed && (args.threads.is_some() || args.ops.is_some()) {
        let p = entry.params(Backend::Loom);
        return Ok(usage_error(format!(
            "{} has a fixed shape ({} threads); --threads and --ops do not apply to it",
            entry.name, p.threads
        )));
    }
    for &b in &backends {
        if let Err(e) = args.params(entry, b).check(b) {
            return Ok(usage_error(e));
        }
    }

    let mut reports = Vec::new();
    for &b in &backends {
        let params = args.params(entry, b);
        let scenario = entry.scenario(params);
        let explorer = args.explorer(b);
        let label = format!("exploring {} on {b}", entry.name);
        let report = with_progress(&label, || match &args.replay {
            Some(key) => scenario.replay(&explorer, key),
            None => scenario.explore(&explorer),
        });
        match report {
            Ok(r) => reports.push((params, r)),
            Err(e) => return Ok(usage_error(e)),
        }
    }

    if args.json {
        print_json(entry, &reports, &missing)?;
    } else {
        super::emit(&print_text(entry, args, &reports, &missing));
    }
    let failed = reports.iter().any(|(_, r)| r.found_failure());
    Ok(if failed { Status::Failed } else { Status::Ok })
}

fn print_json(entry: &Entry, reports: &[(Params, Report)], missing: &[Backend]) -> anyhow::Result<()> {
    let backends: Vec<_> = reports
        .iter()
        .map(|(p, r)| {
            serde_json::json!({
                "backend": r.backend,
                "threads": p.threads,
                "ops": p.ops,
                "executions": r.executions,
                "complete": r.complete,
                "bounds": r.bounds,
                "outcomes": r.outcomes,
                "failure": r.failure,
            })
        })
        .collect();
    let out = serde_json::json!({
        "scenario": entry.name,
        "expected": reports.first().map(|(_, r)| r.expected.clone()),
        "backends": backends,
        "not_in_build": missing,
    });
    super::emit(&format!(
        "{}\n",
        serde_json::to_string_pretty(&out).context("writing JSON")?
    ));
    Ok(())
}

fn print_text(entry: &Entry, args: &Args, reports: &[(Params, Report)], missing: &[Backend]) -> String {
    let color = style::color_stdout();
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{}  {}",
        style::bold(entry.name, color),
        style::dim(entry.summary, color)
    );
    out.push('\n');
    let same_params = reports.windows(2).all(|w| w[0].0 == w[1].0);
    if same_params && reports.len() > 1 {
        let p = reports[0].0;
        let _ = writeln!(
            out,
            "{} threads × {} ops; expected {}",
            p.threads, p.ops, reports[0].1.expected
        );
        let only: Vec<Report> = reports.iter().map(|(_, r)| r.clone()).collect();
        out.push_str(&render_table(&only));
        out.push('\n');
    }
    for (p, r) in reports {
        let unit = if r.backend == Backend::Hardware {
            "run"
        } else {
            "execution"
        };
        let unit = if r.executions == 1 {
            unit.to_owned()
        } else {
            format!("{unit}s")
        };
        let _ = writeln!(
            out,
            "{}: {} {unit}, {} threads × {} ops ({})",
            style::bold(r.backend.name(), color),
            r.executions,
            p.threads,
            p.ops,
            r.bounds
        );
        if !(same_params && reports.len() > 1) {
            out.push_str(&render_table(std::slice::from_ref(r)));
        }
        let verdict = r.render_verdict(color);
        let verdict = match &r.failure {
            None => style::green(&verdict, color),
            Some(_) => verdict,
        };
        out.push_str(&verdict);
        if let Some(key) = r.failure.as_ref().and_then(|f| f.replay.as_ref()) {
            if args.replay.is_none() {
                let _ = writeln!(
                    out,
                    " replay: racelab explore {} --backend {} --threads {} --ops {} --replay '{key}'",
                    entry.name, r.backend, p.threads, p.ops
                );
            }
        }
        out.push('\n');
    }
    for b in missing {
        let _ = writeln!(
            out,
            "{}",
            style::dim(
                &format!(
                    "{b}: not in this build (cargo run --release --features {b} -- explore {})",
                    entry.name
                ),
                color
            )
        );
    }
    out
}
