//! `racelab check N`: reads one lab's file for types the models cannot see,
//! builds its check, and runs it under every schedule loom and shuttle
//! explore (or, for labs 15 and 17, on real processes and threads), in a
//! child process stopped at the time limit.

use std::fmt::Write;
use std::path::{Path, PathBuf};
use std::time::Duration;

use clap::Args as ClapArgs;

use super::progress::with_status;
use super::{emit, style, Status};
use crate::explore::{render_table, FailureKind, Report};
use crate::labs::{Build, Cancel, Checked, Lab, Labs, RunsOn, State, Verdict};
use crate::sync::Backend;
use crate::trace::{render_timeline, RenderOptions};

/// What `check --help` says about where the labs run (a unit test keeps it
/// true to `labs/labs.toml`).
pub(crate) const WHERE_LABS_RUN: &str = "\
Where the checks run:
  labs 1-14 and 16   under loom and shuttle: every schedule they explore (your file must use racelab::sync)
  lab 15             on real processes (the race with another process is staged on purpose, then run for real)
  lab 17             on real threads (a tokio runtime; the check watches whether its one thread ever blocks)";

#[derive(Debug, ClapArgs)]
#[command(after_help = WHERE_LABS_RUN)]
pub(crate) struct Args {
    /// The lab's number (see `racelab labs`); the next unfinished one if left out.
    lab: Option<String>,
    /// Seconds the check may run (after it is built) before it is stopped.
    #[arg(long, default_value_t = 60, value_parser = clap::value_parser!(u64).range(1..))]
    time_limit: u64,
    /// Check this file instead of the lab's exercise (your own attempt, a
    /// variant); progress is not recorded.
    #[arg(long, value_name = "PATH")]
    file: Option<PathBuf>,
    /// Print the verdict and the reports as one JSON object.
    #[arg(long)]
    json: bool,
}

pub(crate) fn run(args: &Args) -> anyhow::Result<Status> {
    let labs = Labs::find()?;
    let lab = match &args.lab {
        Some(which) => match labs.get(which) {
            Ok(l) => l.clone(),
            Err(e) => return Ok(super::usage_error(e)),
        },
        None => match labs.next() {
            Some(l) => l.clone(),
            None => {
                emit("every lab is done.\n");
                return Ok(Status::Ok);
            }
        },
    };
    if let Some(file) = &args.file {
        if !file.is_file() {
            return Ok(super::usage_error(format!("no file {}", file.display())));
        }
    }
    crate::labs::kill_groups_on_interrupt();
    let limit = Duration::from_secs(args.time_limit);
    let checked = check_lab(&labs, &lab, args.file.as_deref(), limit, &Cancel::new())?;
    if args.file.is_none() && checked.verdict != Verdict::Cancelled {
        let holds = checked.verdict == Verdict::Holds;
        labs.set_state(&lab, if holds { State::Done } else { State::Failing })?;
    }
    if args.json {
        emit(&format!("{}\n", to_json(&lab, &checked)));
    } else {
        emit(&describe(&labs, &lab, &checked, style::color_stdout()));
    }
    Ok(match checked.verdict {
        Verdict::Holds => Status::Ok,
        _ => Status::Failed,
    })
}

/// Scans, builds and runs the check of `lab` (on `file` if given), telling
/// the user what it waits for.
pub(crate) fn check_lab(
    labs: &Labs,
    lab: &Lab,
    file: Option<&Path>,
    limit: Duration,
    cancel: &Cancel,
) -> anyhow::Result<Checked> {
    if let Some(left) = labs.left_the_model(lab, file) {
        return Ok(left);
    }
    let built = with_status(&format!("building lab {}", lab.id), || labs.build(lab, file, cancel))?;
    Ok(match built {
        Build::Ready(binary) => with_status(&format!("checking lab {} on {}", lab.id, lab.runs_on.words()), || {
            labs.run(&binary, None, limit, cancel)
        })?,
        Build::Finished(checked) => checked,
    })
}

fn to_json(lab: &Lab, checked: &Checked) -> serde_json::Value {
    let verdict = match &checked.verdict {
        Verdict::Holds => "holds",
        Verdict::Fails => "fails",
        Verdict::LeftTheModel(_) => "left the model",
        Verdict::CompileError => "compile error",
        Verdict::Crashed => "crashed",
        Verdict::TimeLimit(_) => "time limit",
        Verdict::Cancelled => "cancelled",
    };
    let escapes: Vec<serde_json::Value> = match &checked.verdict {
        Verdict::LeftTheModel(escapes) => escapes
            .iter()
            .map(|e| serde_json::json!({"line": e.line, "found": e.found, "instead": e.instead}))
            .collect(),
        _ => Vec::new(),
    };
    serde_json::json!({
        "lab": lab.id,
        "title": lab.title,
        "verdict": verdict,
        "failure": checked.failure_kind(),
        "escapes": escapes,
        "reports": checked.reports,
        "compiler": if checked.verdict == Verdict::CompileError { Some(&checked.stderr) } else { None },
    })
}

/// What a check found, for a student.
pub(crate) fn describe(labs: &Labs, lab: &Lab, checked: &Checked, color: bool) -> String {
    let mut out = String::new();
    let title = format!("lab {}: {}", lab.id, lab.title);
    let fail = |out: &mut String| {
        let _ = writeln!(out, "{} {}", style::red("✗", color), style::bold(&title, color));
    };
    match &checked.verdict {
        Verdict::Holds => {
            let _ = writeln!(out, "{} {}", style::green("✓", color), style::bold(&title, color));
            for r in &checked.reports {
                let _ = writeln!(
                    out,
                    "  {}: {}: holds in every one of {} {} ({})",
                    r.scenario,
                    r.backend,
                    r.executions,
                    unit(r),
                    r.bounds
                );
            }
            match labs.next() {
                Some(next) => {
                    let _ = writeln!(
                        out,
                        "\nnext: lab {}: {} (`racelab check {}`)",
                        next.id, next.title, next.id
                    );
                }
                None => {
                    let _ = writeln!(out, "\nevery lab is done. Well raced.");
                }
            }
        }
        Verdict::Fails => {
            fail(&mut out);
            if let Some(r) = checked.reports.iter().find(|r| r.failure.is_some()) {
                describe_failure(&mut out, r, color);
            }
            let _ = writeln!(out, "\nrun `racelab hint {}` for a hint.", lab.id);
        }
        Verdict::LeftTheModel(escapes) => {
            fail(&mut out);
            let _ = writeln!(
                out,
                "  this file uses what loom and shuttle cannot see, so the check did not run:\n"
            );
            for e in escapes {
                let _ = writeln!(out, "    {e}");
            }
            let _ = writeln!(
                out,
                "\n  The models see threads only through racelab::sync. Under them, std's (or parking_lot's) types \
                 are invisible:\n  threads that share them look like threads that share nothing, so nothing would \
                 be checked, and a\n  wait on them can stop the model for good. Use the racelab::sync item named \
                 above: it has std's API."
            );
        }
        Verdict::CompileError => {
            let _ = writeln!(
                out,
                "{} lab {} does not compile. The compiler says:\n",
                style::red("✗", color),
                lab.id
            );
            out.push_str(checked.stderr.trim_end());
            let _ = writeln!(out, "\n\n(that is a compile error, not a race: fix it and check again)");
        }
        Verdict::Crashed => {
            fail(&mut out);
            let _ = writeln!(
                out,
                "  the check stopped without a verdict (a panic outside the explored code, an abort, a stack \
                 overflow?). Its last words:\n"
            );
            for line in tail(&format!("{}\n{}", checked.stdout, checked.stderr), 30) {
                let _ = writeln!(out, "    {line}");
            }
        }
        Verdict::TimeLimit(limit) => {
            fail(&mut out);
            let _ = writeln!(
                out,
                "  time limit: your code did not finish within {} s (an endless loop, or a lock the model cannot \
                 see), and was stopped.",
                limit.as_secs()
            );
            if lab.runs_on == RunsOn::Models {
                let _ = writeln!(
                    out,
                    "  Under loom and shuttle, a loop that calls nothing from racelab::sync never lets another \
                     thread run: a spin\n  loop must call racelab::sync::hint::spin_loop() or \
                     racelab::sync::thread::yield_now()."
                );
            }
            for r in &checked.reports {
                let _ = writeln!(
                    out,
                    "  (before that, {}: {})",
                    r.backend,
                    r.render_verdict(false).trim_end()
                );
            }
        }
        Verdict::Cancelled => {
            let _ = writeln!(out, "lab {}: check stopped.", lab.id);
        }
    }
    out
}

fn unit(r: &Report) -> &'static str {
    match r.backend {
        Backend::Loom => "executions",
        Backend::Shuttle => "schedules",
        Backend::Hardware => "runs",
    }
}

/// The failure of `r`: what was found, the table, the timeline.
fn describe_failure(out: &mut String, r: &Report, color: bool) {
    let f = r.failure.as_ref().expect("called with a failing report");
    if f.kind == FailureKind::Vacuous {
        let _ = writeln!(
            out,
            "  {} explored {}, and saw nothing shared: {}\n",
            r.backend, r.scenario, f.message
        );
    } else {
        let _ = writeln!(
            out,
            "  {} found a {} in {}: {}\n",
            r.backend,
            style::red(f.kind.name(), color),
            r.scenario,
            f.message
        );
    }
    out.push_str(&render_table(std::slice::from_ref(r)));
    if !f.trace.is_empty() {
        out.push('\n');
        out.push_str(&render_timeline(&f.trace, RenderOptions { color, max_rows: 40 }));
        if let Some(o) = &f.outcome {
            let _ = writeln!(out, " outcome: {o}   expected {}", r.expected);
        }
    }
}

/// The last `n` non-empty lines of `text`.
fn tail(text: &str, n: usize) -> Vec<&str> {
    let lines: Vec<&str> = text.lines().filter(|l| !l.trim().is_empty()).collect();
    lines[lines.len().saturating_sub(n)..].to_vec()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn check_help_says_where_every_lab_runs_as_labs_toml_does() {
        let labs = Labs::at(Path::new(env!("CARGO_MANIFEST_DIR"))).expect("labs/labs.toml parses");
        let on = |runs_on: RunsOn| -> Vec<u32> {
            labs.labs
                .iter()
                .filter(|l| l.runs_on == runs_on)
                .map(|l| l.id)
                .collect()
        };
        assert_eq!(on(RunsOn::RealProcesses), [15]);
        assert_eq!(on(RunsOn::RealThreads), [17]);
        let models: Vec<u32> = (1..=14).chain([16]).collect();
        assert_eq!(on(RunsOn::Models), models);
        assert!(WHERE_LABS_RUN.contains("labs 1-14 and 16   under loom and shuttle"));
    }
}
