//! `racelab tour` (and `racelab` alone): the shared counter, from a race on
//! real threads to the interleaving behind it to the fixes that hold.

use std::fmt::Write;

use clap::Args as ClapArgs;

mod asynchrony;
mod cost;
mod gil;
mod integrate;
mod process;
mod progress;
mod threads;

use super::progress::with_progress;
use super::{emit, style, Status};
use crate::catalogue::{self, Expect, Params};
use crate::counter::Count;
use crate::explore::{Explorer, Grade, Report};
use crate::sync::Backend;

#[derive(Debug, ClapArgs)]
pub(crate) struct Args {
    /// Only these topics, in tour order (for example `process gil`); every
    /// topic when none is given. `racelab list` shows the topics.
    topics: Vec<String>,
    /// Runs of each variant on real threads.
    #[arg(long, default_value_t = 100)]
    runs: usize,
    /// Increments per thread on real threads.
    #[arg(long, default_value_t = 100_000)]
    ops: u64,
}

impl Default for Args {
    fn default() -> Self {
        Args {
            topics: Vec::new(),
            runs: 100,
            ops: 100_000,
        }
    }
}

/// Threads in every step of the tour.
const THREADS: usize = 2;

/// The topics after the counter, each with the line that introduces it.
/// A topic after the counter: how the tour introduces it, which litmus
/// tables it prints, and which fixes it runs (all, when `None`).
struct Topic {
    name: &'static str,
    intro: &'static str,
    litmus: &'static [&'static str],
    fixes: Option<&'static [&'static str]>,
    /// A demo on real threads or processes, shown before the races.
    demo: Option<Demo>,
}

/// What a topic's demo gets to work with.
pub(crate) struct Ctx {
    pub(crate) color: bool,
}

/// A tour section of its own; returns whether everything it checked held.
type Demo = fn(&Ctx) -> anyhow::Result<bool>;

const TOPICS: [Topic; 13] = [
    Topic {
        name: "threads",
        intro: "Lecture, section threading: start threads, name them, join them (in the right loop), detach them.",
        litmus: &[],
        fixes: None,
        demo: Some(threads::demo),
    },
    Topic {
        name: "gil",
        intro: "Lecture, section GIL: one lock around every bytecode. Threads take turns, so CPU-bound work gets no \
                faster, I/O-bound work still overlaps, and `x += 1` still races.",
        litmus: &[],
        fixes: None,
        demo: Some(gil::demo),
    },
    Topic {
        name: "document",
        intro: "The lecture's own example: two users edit one document, and the second save overwrites the first.",
        litmus: &[],
        fixes: None,
        demo: None,
    },
    Topic {
        name: "check_then_act",
        intro: "Check, then act: another thread changes what was checked before the act (initialise twice, overdraw).",
        litmus: &[],
        fixes: None,
        demo: None,
    },
    Topic {
        name: "deadlock",
        intro:
            "The lock that fixes a race, twice: two transfers lock two accounts in opposite orders and wait forever.",
        litmus: &[],
        fixes: None,
        demo: None,
    },
    Topic {
        name: "integrate",
        intro: "The lecture's integral, split into segments: on threads, on child processes, and with a shared sum that loses parts.",
        litmus: &[],
        fixes: None,
        demo: Some(integrate::demo),
    },
    Topic {
        name: "progress",
        intro: "A long job on a worker thread, a UI thread that stays responsive: progress over a channel, and cancel.",
        litmus: &[],
        fixes: None,
        demo: Some(progress::demo),
    },
    Topic {
        name: "process",
        intro: "Lecture, section multiprocessing: child processes have their own pid and memory, talk through pipes, \
                and race on shared files.",
        litmus: &[],
        fixes: None,
        demo: Some(process::demo),
    },
    Topic {
        name: "asynchrony",
        intro: "Lecture, section asyncio: tasks take turns on one thread and switch only at an .await. Waiting \
                overlaps for free, a blocking call stops every task, and a read-modify-write with an .await \
                inside still loses updates.",
        litmus: &[],
        fixes: None,
        demo: Some(asynchrony::demo),
    },
    Topic {
        name: "ordering",
        intro: "Without a lock, what one thread sees of another's writes depends on orderings: litmus tests, \
                with what the C11 model allows, what loom reaches and what this machine did \
                (`racelab list` has all twenty).",
        litmus: &["ordering::sb_relaxed", "ordering::sb_seqcst_fences"],
        fixes: Some(&["ordering::publish_release_acquire"]),
        demo: None,
    },
    Topic {
        name: "spinlock",
        intro: "The smallest lock: an AtomicBool and a compare-exchange. Get an ordering wrong, or forget to yield.",
        litmus: &[],
        fixes: None,
        demo: None,
    },
    Topic {
        name: "stack",
        intro: "A lock-free stack whose compare-exchange is fooled when the head goes A, B, A.",
        litmus: &[],
        fixes: None,
        demo: None,
    },
    Topic {
        name: "cost",
        intro: "What each counter fix costs on this machine: time per increment against the floor \
                (each thread counting on its own).",
        litmus: &[],
        fixes: None,
        demo: Some(cost::demo),
    },
];

/// One row per fix of `topic`: its verdict under each model backend in this
/// build, and its runs on real threads (at `hardware` sizes, or the
/// entry's own). Returns whether every fix held.
fn fixes_table(
    topic: &str,
    only: Option<&[&str]>,
    hardware: Option<Params>,
    runs: usize,
    color: bool,
) -> anyhow::Result<bool> {
    let models: Vec<Backend> = [Backend::Loom, Backend::Shuttle]
        .into_iter()
        .filter(|b| b.is_available())
        .collect();
    let fixes: Vec<_> = catalogue::ENTRIES
        .iter()
        .filter(|e| e.topic() == topic && e.expect == Expect::Holds)
        .filter(|e| only.is_none_or(|names| names.contains(&e.name)))
        .collect();
    if fixes.is_empty() {
        return Ok(true);
    }
    let width = fixes.iter().map(|e| e.name.len()).max().unwrap_or(0) + 2;
    let mut head = format!("  {:<width$}", "fix");
    for b in &models {
        let _ = write!(head, " {:<26}", b.name());
    }
    let _ = writeln!(head, " hardware");
    emit(&head);
    let mut ok = true;
    for entry in fixes {
        let mut line = format!("  {:<width$}", entry.name);
        for &b in &models {
            let r = with_progress(&format!("checking {} with {b}", entry.name), || {
                entry.scenario(entry.params(b)).explore(&Explorer::for_backend(b))
            })?;
            ok &= r.holds();
            let unit = if b == Backend::Loom { "executions" } else { "schedules" };
            let cell = if r.holds() {
                style::green(&format!("{:<26}", format!("holds ({} {unit})", r.executions)), color)
            } else {
                style::red(&format!("{:<26}", "FAILS"), color)
            };
            let _ = write!(line, " {cell}");
        }
        let p = hardware.unwrap_or(entry.params(Backend::Hardware));
        let r = with_progress(&format!("running {} on real threads", entry.name), || {
            entry.scenario(p).explore(&Explorer::hardware().with_budget(runs))
        })?;
        ok &= r.failure.is_none();
        let right: u64 = r
            .outcomes
            .iter()
            .filter(|o| o.grade != Grade::Forbidden)
            .map(|o| o.count)
            .sum();
        let _ = writeln!(line, " {right}/{} runs correct ({}×{})", r.executions, p.threads, p.ops);
        emit(&line);
    }
    Ok(ok)
}

/// One litmus test on every backend in this build, as one table.
fn litmus_table(name: &str, runs: usize) -> anyhow::Result<String> {
    let entry = catalogue::find(name).ok_or_else(|| anyhow::anyhow!("no litmus test {name}"))?;
    let mut reports = Vec::new();
    for b in Backend::ALL.into_iter().filter(|b| b.is_available()) {
        let explorer = match b {
            Backend::Hardware => Explorer::hardware().with_budget(runs),
            _ => Explorer::for_backend(b),
        };
        let r = with_progress(&format!("running {name} on {b}"), || {
            entry.scenario(entry.params(b)).explore(&explorer)
        })?;
        reports.push(r);
    }
    let mut out = format!("  {name}: {}\n", entry.summary);
    for line in crate::explore::render_table(&reports).lines() {
        out.push_str(&format!("  {line}\n"));
    }
    out.push('\n');
    Ok(out)
}

/// A racy baseline's first failure, as found by a model checker.
fn race_found(name: &str, report: &Report, color: bool) -> String {
    let mut out = String::new();
    let Some(f) = &report.failure else {
        let _ = writeln!(out, "  {name}: no failure found (that would be a bug in racelab)");
        return out;
    };
    let _ = writeln!(
        out,
        "  {}: {} found by {} in execution {} of {}",
        style::bold(name, color),
        style::red(f.kind.name(), color),
        report.backend,
        f.execution,
        report.executions
    );
    out.push_str(&indented_timeline(report, f, color));
    out.push('\n');
    out
}

/// A failure's timeline, indented for the tour (long ones shortened), then
/// its outcome, or what went wrong when the execution did not finish.
fn indented_timeline(report: &Report, f: &crate::explore::Failure, color: bool) -> String {
    let mut out = String::new();
    let timeline = crate::trace::render_timeline(&f.trace, crate::trace::RenderOptions { color, max_rows: 28 });
    for line in timeline.lines() {
        let _ = writeln!(out, "  {line}");
    }
    match &f.outcome {
        Some(o) => {
            let _ = writeln!(out, "   outcome: {o}; expected {}", report.expected);
        }
        None => {
            let _ = writeln!(out, "   {}", f.message);
        }
    }
    out
}

/// The model checker the tour shows races with: loom when it is in the
/// build, else shuttle.
fn model_backend() -> Backend {
    if Backend::Loom.is_available() {
        Backend::Loom
    } else {
        Backend::Shuttle
    }
}

/// Steps 1-3: the shared counter on real threads, under a model checker,
/// and its fixes.
fn counter(args: &Args, color: bool) -> anyhow::Result<bool> {
    let racy = catalogue::find("counter::racy").expect("the catalogue has counter::racy");
    let mut out = String::new();
    let _ = writeln!(out, "{}", style::bold("racelab tour: the shared counter", color));
    let _ = writeln!(
        out,
        "Lecture, section GIL: \"if two users edit the same document online and the second one saves,\n\
         it overwrites the work of the first.\" Here the document is one number, and {THREADS} threads\n\
         add to it: load the value, add one, store it back (src/counter/racy.rs).\n"
    );
    emit(&out);

    // 1. Real threads.
    let hw = Params {
        threads: THREADS,
        ops: args.ops,
    };
    let report = with_progress("running counter::racy on real threads", || {
        racy.scenario(hw).explore(&Explorer::hardware().with_budget(args.runs))
    })?;
    emit(&hardware_section(&report, hw, color));

    // 2. The interleaving, found by a model checker.
    let small = Params {
        threads: THREADS,
        ops: 1,
    };
    let model = model_backend();
    let report = with_progress(&format!("exploring counter::racy with {model}"), || {
        racy.scenario(small).explore(&Explorer::for_backend(model))
    })?;
    emit(&model_section(&report, small, color));

    // 3. The fixes.
    emit(&format!(
        "{}\n",
        style::bold("3. The fixes, each proved and run", color)
    ));
    fixes_table("counter", None, Some(hw), args.runs, color)
}

pub(crate) fn run(args: &Args) -> anyhow::Result<Status> {
    if args.runs == 0 || args.ops == 0 {
        return Ok(super::usage_error("--runs and --ops must be at least 1"));
    }
    for topic in &args.topics {
        if topic != "counter" && !TOPICS.iter().any(|t| t.name == *topic) {
            let mut message = format!("no topic `{topic}` in the tour");
            let close = catalogue::closest_topic(topic);
            if !close.is_empty() {
                message.push_str(&format!("; did you mean {}?", close.join(", ")));
            }
            return Ok(super::usage_error(format!(
                "{message} (`racelab list` shows every topic)"
            )));
        }
    }
    let wanted = |topic: &str| args.topics.is_empty() || args.topics.iter().any(|t| t == topic);
    let color = style::color_stdout();
    let mut ok = true;
    if wanted("counter") {
        ok &= counter(args, color)?;
    }
    let model = model_backend();
    // 4. The other topics: their races, found and shown; their fixes, proved.
    let first = if wanted("counter") { 4 } else { 1 };
    for (n, topic) in TOPICS.iter().filter(|t| wanted(t.name)).enumerate() {
        emit(&format!(
            "\n{}\n  {}\n\n",
            style::bold(&format!("{}. {}", n + first, topic.name), color),
            topic.intro
        ));
        if let Some(demo) = topic.demo {
            ok &= demo(&Ctx { color })?;
        }
        for name in topic.litmus {
            emit(&litmus_table(name, args.runs)?);
        }
        for racy in catalogue::ENTRIES
            .iter()
            .filter(|e| e.topic() == topic.name && e.expect.racy_under(model).is_some())
        {
            let report = with_progress(&format!("exploring {} with {model}", racy.name), || {
                racy.scenario(racy.params(model)).explore(&Explorer::for_backend(model))
            })?;
            emit(&race_found(racy.name, &report, color));
        }
        ok &= fixes_table(topic.name, topic.fixes, None, args.runs.min(20), color)?;
    }

    let mut out = String::new();
    let _ = writeln!(out);
    let _ = writeln!(out, "{}", style::bold("Next", color));
    let _ = writeln!(out, "  racelab list                                   every scenario");
    let _ = writeln!(
        out,
        "  racelab explore counter::racy --backend all    the outcome table on every backend"
    );
    let _ = writeln!(
        out,
        "  cargo test --features loom                     the proofs, as tests"
    );
    let _ = writeln!(
        out,
        "  cargo bench --bench counter                    what each fix costs (ratios in one run)"
    );
    if !Backend::Loom.is_available() {
        let _ = writeln!(
            out,
            "  cargo run --release --features loom            this tour with loom's exhaustive proofs"
        );
    }
    emit(&out);
    Ok(if ok { Status::Ok } else { Status::Failed })
}

/// Step 1: a histogram of lost updates per run on real threads.
fn hardware_section(report: &Report, p: Params, color: bool) -> String {
    let total = p.threads as u64 * p.ops;
    let mut buckets = [0u64; 6]; // 0, 1-9, 10-99, 100-999, 1000-9999, 10000+
    let mut worst = 0;
    for row in &report.outcomes {
        let Ok(Count(count)) = row.outcome.parse::<Count>() else {
            continue;
        };
        let lost = total.saturating_sub(count);
        worst = worst.max(lost);
        let bucket = match lost {
            0 => 0,
            n => (n.ilog10() as usize + 1).min(5),
        };
        buckets[bucket] += row.count;
    }
    let labels = ["0", "1-9", "10-99", "100-999", "1000-9999", "10000+"];
    let runs = report.executions.max(1);
    let mut out = String::new();
    let _ = writeln!(out, "{}", style::bold("1. On real threads", color));
    let _ = writeln!(
        out,
        "  counter::racy, {} threads × {} increments, {} runs. Updates lost per run:",
        p.threads, p.ops, report.executions
    );
    for (label, n) in labels.iter().zip(buckets) {
        let bar = "█".repeat(((n * 40).div_ceil(runs)) as usize);
        let bar = if label == &"0" {
            style::green(&bar, color)
        } else {
            style::red(&bar, color)
        };
        let _ = writeln!(out, "  {label:>10} │ {bar} {n}");
    }
    let losing: u64 = buckets[1..].iter().sum();
    if losing == 0 {
        let _ = writeln!(
            out,
            "  No run lost an update this time. That proves nothing: the threads may simply not\n  \
             have overlapped. The model checker below does not depend on luck."
        );
    } else {
        let _ = writeln!(
            out,
            "  {losing} of {} runs lost updates; the worst lost {worst} of {total}.",
            report.executions
        );
    }
    out.push('\n');
    out
}

/// Step 2: the interleaving a model checker found.
fn model_section(report: &Report, p: Params, color: bool) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "{}", style::bold("2. Why: the interleaving", color));
    let bad: u64 = report
        .outcomes
        .iter()
        .filter(|o| o.grade == crate::explore::Grade::Forbidden)
        .map(|o| o.count)
        .sum();
    let how = match report.backend {
        Backend::Loom => format!(
            "loom ran every interleaving of {} threads × {} increment ({} executions, {});\n  {bad} of them lose an update. The first that shows why:",
            p.threads, p.ops, report.executions, report.bounds
        ),
        _ => format!(
            "shuttle tried {} schedules of {} threads × {} increment ({});\n  {bad} lost an update. The first:",
            report.executions, p.threads, p.ops, report.bounds
        ),
    };
    let _ = writeln!(out, "  {how}\n");
    match &report.failure {
        Some(f) => {
            out.push_str(&indented_timeline(report, f, color));
            let _ = writeln!(
                out,
                "\n  Both threads loaded the same value; the later store wrote over the earlier one."
            );
        }
        None => {
            let _ = writeln!(out, "  (no failing interleaving found: that would be a bug in racelab)");
        }
    }
    out.push('\n');
    out
}
