//! `racelab check N`: builds one lab and checks it under every schedule
//! loom and shuttle explore.

use std::fmt::Write;
use std::time::Duration;

use clap::Args as ClapArgs;

use super::progress::with_progress;
use super::{emit, style, Status};
use crate::explore::render_table;
use crate::labs::{Checked, Lab, Labs, State, Verdict};
use crate::trace::{render_timeline, RenderOptions};

#[derive(Debug, ClapArgs)]
pub(crate) struct Args {
    /// The lab's number (see `racelab labs`); the next unfinished one if left out.
    lab: Option<String>,
    /// Seconds the check may run (after it is built) before it is stopped.
    #[arg(long, default_value_t = 60)]
    time_limit: u64,
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
    check_one(&labs, &lab, Duration::from_secs(args.time_limit))
}

/// Checks `lab`, prints the verdict, records progress.
pub(crate) fn check_one(labs: &Labs, lab: &Lab, limit: Duration) -> anyhow::Result<Status> {
    let color = style::color_stdout();
    let checked = with_progress(&format!("building and checking lab {}", lab.id), || {
        labs.check(lab, false, limit)
    })?;
    let holds = checked.verdict == Verdict::Holds;
    labs.set_state(lab, if holds { State::Done } else { State::Failing })?;
    emit(&describe(labs, lab, &checked, color));
    Ok(if holds { Status::Ok } else { Status::Failed })
}

/// What a check found, for a student.
pub(crate) fn describe(labs: &Labs, lab: &Lab, checked: &Checked, color: bool) -> String {
    let mut out = String::new();
    let title = format!("lab {}: {}", lab.id, lab.title);
    match &checked.verdict {
        Verdict::Holds => {
            let _ = writeln!(out, "{} {}", style::green("✓", color), style::bold(&title, color));
            for r in &checked.reports {
                let unit = match r.backend {
                    crate::sync::Backend::Loom => "executions",
                    crate::sync::Backend::Shuttle => "schedules",
                    crate::sync::Backend::Hardware => "runs",
                };
                let _ = writeln!(
                    out,
                    "  {}: holds in every one of {} {unit} ({})",
                    r.backend, r.executions, r.bounds
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
            let _ = writeln!(out, "{} {}", style::red("✗", color), style::bold(&title, color));
            if let Some(r) = checked.reports.iter().find(|r| r.failure.is_some()) {
                let f = r.failure.as_ref().expect("found above");
                let _ = writeln!(
                    out,
                    "  {} found a {}: {}\n",
                    r.backend,
                    style::red(f.kind.name(), color),
                    f.message
                );
                out.push_str(&render_table(std::slice::from_ref(r)));
                if !f.trace.is_empty() {
                    out.push('\n');
                    out.push_str(&render_timeline(&f.trace, RenderOptions { color, max_rows: 40 }));
                    if let Some(o) = &f.outcome {
                        let _ = writeln!(out, " outcome: {o}   expected {}", r.expected);
                    }
                }
            }
            let _ = writeln!(out, "\nrun `racelab hint {}` for a hint.", lab.id);
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
            let _ = writeln!(out, "{} lab {}'s check crashed:\n", style::red("✗", color), lab.id);
            out.push_str(checked.stdout.trim_end());
            out.push('\n');
            out.push_str(checked.stderr.trim_end());
            out.push('\n');
        }
        Verdict::TimeLimit(limit) => {
            let _ = writeln!(
                out,
                "{} lab {} was stopped after {} s: a loop that never ends, or a spin without a yield that the \
                 model cannot leave.",
                style::red("✗", color),
                lab.id,
                limit.as_secs()
            );
        }
    }
    out
}
