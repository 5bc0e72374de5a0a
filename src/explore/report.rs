//! What an exploration found, as data, as a table and as JSON.

use std::fmt::{self, Write};

use serde::{Deserialize, Serialize};

use super::Grade;
use crate::sync::Backend;
use crate::trace::{render_timeline, RenderOptions, Trace};

/// The ways an execution can go wrong.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum FailureKind {
    /// The scenario returned an outcome its rule forbids (a lost update...).
    #[serde(rename = "forbidden outcome")]
    ForbiddenOutcome,
    /// The scenario panicked.
    #[serde(rename = "panic")]
    Panic,
    /// Every thread waits for another: nobody can go on.
    #[serde(rename = "deadlock")]
    Deadlock,
    /// Two unsynchronised accesses to an `UnsafeCell`, one a write (loom).
    #[serde(rename = "data race")]
    DataRace,
    /// Something allocated was never freed (loom).
    #[serde(rename = "leak")]
    Leak,
    /// An execution ran too many steps: a livelock, or a spin loop that
    /// never yields.
    #[serde(rename = "step limit")]
    StepLimit,
    /// Real threads did not finish in time (hardware: a deadlock or livelock
    /// that can only be waited for).
    #[serde(rename = "time limit")]
    TimeLimit,
    /// No execution shared anything the model could see: no two threads
    /// touched one `racelab::sync` object, and no thread handed a value to
    /// another through `join`. The code used types the model does not see
    /// (`std::sync`, `parking_lot`...), or shares nothing: nothing was proved.
    #[serde(rename = "vacuous")]
    Vacuous,
}

impl FailureKind {
    /// The kind in words, as the CLI and `labs.toml` spell it.
    pub fn name(self) -> &'static str {
        match self {
            FailureKind::ForbiddenOutcome => "forbidden outcome",
            FailureKind::Panic => "panic",
            FailureKind::Deadlock => "deadlock",
            FailureKind::DataRace => "data race",
            FailureKind::Leak => "leak",
            FailureKind::StepLimit => "step limit",
            FailureKind::TimeLimit => "time limit",
            FailureKind::Vacuous => "vacuous",
        }
    }

    /// Every kind, for parsing.
    pub const ALL: [FailureKind; 8] = [
        FailureKind::ForbiddenOutcome,
        FailureKind::Panic,
        FailureKind::Deadlock,
        FailureKind::DataRace,
        FailureKind::Leak,
        FailureKind::StepLimit,
        FailureKind::TimeLimit,
        FailureKind::Vacuous,
    ];

    /// A failure's message in plain words, from the raw panic message.
    pub(super) fn explain(self, raw: &str) -> String {
        let first_line = raw.lines().find(|l| !l.trim().is_empty()).unwrap_or(raw);
        match self {
            FailureKind::Deadlock => "every thread is blocked, so none can go on".to_owned(),
            FailureKind::DataRace => {
                "two threads accessed the same cell, one of them writing, with nothing ordering the accesses".to_owned()
            }
            FailureKind::StepLimit => {
                "an execution ran past the step limit: its threads kept running without finishing. Either a \
                 livelock (each waits for something only another can do, and none gives way), or a spin loop that \
                 gives the thread it waits for no turn (a spin loop must call racelab::sync::hint::spin_loop() or \
                 racelab::sync::thread::yield_now(): std's give the model no chance to switch threads)"
                    .to_owned()
            }
            FailureKind::Vacuous => "in no execution did two threads touch the same racelab::sync object (or hand \
                                     a value over through join): the threads share data through something the model \
                                     cannot see (a std::sync, std::thread, parking_lot or std::cell type?), or share \
                                     nothing at all. The model saw no interaction, so nothing was proved"
                .to_owned(),
            _ => first_line.to_owned(),
        }
    }

    /// Whether the execution ended with threads still waiting (so the
    /// timeline should show who waits for what).
    pub(super) fn is_stuck(self) -> bool {
        matches!(
            self,
            FailureKind::Deadlock | FailureKind::StepLimit | FailureKind::TimeLimit
        )
    }

    /// Reads a model checker's panic message.
    pub(super) fn from_panic(message: &str) -> FailureKind {
        let m = message.to_ascii_lowercase();
        if m.contains("deadlock") {
            FailureKind::Deadlock
        } else if m.contains("causality violation") {
            FailureKind::DataRace
        } else if m.contains("leaked") {
            FailureKind::Leak
        } else if m.contains("maximum number of branches") || m.contains("max_steps") {
            FailureKind::StepLimit
        } else {
            FailureKind::Panic
        }
    }
}

impl fmt::Display for FailureKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl std::str::FromStr for FailureKind {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        let s = s.replace(['_', '-'], " ");
        FailureKind::ALL
            .into_iter()
            .find(|k| k.name() == s)
            .ok_or_else(|| format!("unknown failure kind `{s}`"))
    }
}

/// One row of the outcome table.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct OutcomeRow {
    pub outcome: String,
    pub count: u64,
    pub grade: Grade,
}

/// The first execution that went wrong.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Failure {
    pub kind: FailureKind,
    /// What happened, in one line.
    pub message: String,
    /// The outcome, if the execution finished.
    pub outcome: Option<String>,
    /// Every recorded step of that execution (empty on hardware).
    pub trace: Trace,
    /// Replays just this execution: `racelab explore NAME --replay KEY`.
    pub replay: Option<String>,
    /// Which execution it was (1-based): the one whose trace is kept.
    pub execution: u64,
    /// The first execution that went wrong (1-based); the kept one may be
    /// a later, clearer or shorter one.
    #[serde(default)]
    pub first_execution: u64,
    /// How many preemptions the kept execution needs: the smallest bound
    /// under which loom finds the bug (it explores bound 0, 1, 2, ... once
    /// the full bound has found it), or, under shuttle, the kept schedule's
    /// count (the fewest among the failing schedules tried).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub preemptions: Option<usize>,
    /// The trace is shown in an order sequential consistency allows, not
    /// the one loom ran it in (see [`trace::sc_order`](crate::trace::sc_order)).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub sc_order: bool,
}

/// What one backend found.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Report {
    pub scenario: String,
    pub backend: Backend,
    /// A correct outcome, in words.
    pub expected: String,
    /// Executions (loom, shuttle) or runs (hardware).
    pub executions: u64,
    /// True when the whole space within the bounds was explored (loom), or
    /// every requested run or schedule was tried (hardware, shuttle).
    pub complete: bool,
    /// The bounds, in words.
    pub bounds: String,
    pub outcomes: Vec<OutcomeRow>,
    pub failure: Option<Failure>,
    /// The outcomes the memory model allows or forbids (count 0), if the
    /// scenario lists them.
    pub model: Vec<OutcomeRow>,
    /// Remarks on this backend's verdict.
    pub notes: Vec<String>,
}

impl Report {
    /// Something went wrong in at least one execution.
    pub fn found_failure(&self) -> bool {
        self.failure.is_some()
    }

    /// Every explored execution was acceptable (or interesting), and the
    /// exploration was complete.
    pub fn holds(&self) -> bool {
        self.failure.is_none() && self.complete
    }

    /// **Must be racy**: for tests of a broken baseline. Panics, with the
    /// report, unless the backend found a failure of `kind` (or any kind, for
    /// `None`). So no test of a fix can pass because the explorer was blind.
    #[track_caller]
    pub fn assert_racy(&self, kind: Option<FailureKind>) {
        match (&self.failure, kind) {
            (Some(f), Some(k)) if f.kind != k => panic!(
                "{} under {}: expected a {k}, found a {}\n{}",
                self.scenario,
                self.backend,
                f.kind,
                self.render(false)
            ),
            (Some(f), None) if f.kind == FailureKind::Vacuous => panic!(
                "{} under {} is vacuous, not racy: the model saw no sharing\n{}",
                self.scenario,
                self.backend,
                self.render(false)
            ),
            (Some(_), _) => {}
            (None, _) => panic!(
                "{} under {} found no race in {} executions: the baseline must be racy\n{}",
                self.scenario,
                self.backend,
                self.executions,
                self.render(false)
            ),
        }
    }

    /// **Must hold**: for tests of a fix. Panics, with the failing timeline,
    /// unless every execution was acceptable and the exploration complete.
    #[track_caller]
    pub fn assert_holds(&self) {
        if !self.holds() {
            panic!(
                "{} under {} does not hold{}\n{}",
                self.scenario,
                self.backend,
                if self.complete { "" } else { " (exploration incomplete)" },
                self.render(false)
            );
        }
    }

    /// The table, the verdict and, on failure, the timeline.
    pub fn render(&self, color: bool) -> String {
        let mut out = String::new();
        let _ = writeln!(
            out,
            "{} on {}: {} {} ({})",
            self.scenario,
            self.backend,
            self.executions,
            // A scenario with notes explains itself (a check that stages a
            // race deterministically on real files, say).
            if self.backend == Backend::Hardware && self.notes.is_empty() {
                "runs"
            } else {
                "executions"
            },
            self.bounds
        );
        out.push_str(&render_table(std::slice::from_ref(self)));
        out.push_str(&self.render_verdict(color));
        if let Some(key) = self.failure.as_ref().and_then(|f| f.replay.as_ref()) {
            let _ = writeln!(out, " replay key: {key}");
        }
        out
    }

    /// One line saying whether it held, then the failure if any.
    pub fn render_verdict(&self, color: bool) -> String {
        let mut out = String::new();
        let bad: u64 = self
            .outcomes
            .iter()
            .filter(|o| o.grade == Grade::Forbidden)
            .map(|o| o.count)
            .sum();
        match &self.failure {
            None if self.backend == Backend::Hardware => {
                let _ = writeln!(
                    out,
                    "every one of {} runs was acceptable on this machine this time (real threads prove nothing: \
                     explore with shuttle or loom)",
                    self.executions
                );
            }
            None if self.complete => {
                // Within what: a bound or a sample is not every schedule.
                let within = match self.backend {
                    Backend::Loom if self.bounds.contains("at most") => {
                        " (within the preemption bound: a bug that needs more preemptions would not show; raise \
                         the bound to look further)"
                    }
                    Backend::Shuttle => {
                        " (in the schedules tried: PCT samples them, and a bug that needs more preemptions than \
                         the depth allows, or a rarer schedule, may not show; more schedules, a higher depth or loom \
                         look further)"
                    }
                    _ => "",
                };
                let _ = writeln!(
                    out,
                    "holds: every one of {} {} was acceptable{within}",
                    self.executions,
                    self.unit()
                );
            }
            None => {
                let _ = writeln!(
                    out,
                    "no failure in {} {}, but the exploration stopped at its cap: not a proof",
                    self.executions,
                    self.unit()
                );
            }
            Some(f) => {
                if bad > 0 {
                    let _ = writeln!(
                        out,
                        "forbidden outcomes in {bad} of {} {}",
                        self.executions,
                        self.unit()
                    );
                }
                out.push_str(&self.render_failure(f, color));
            }
        }
        out
    }

    fn unit(&self) -> &'static str {
        if self.backend == Backend::Hardware {
            "runs"
        } else {
            "executions"
        }
    }

    fn render_failure(&self, f: &Failure, color: bool) -> String {
        let mut out = String::new();
        // Under loom the execution shown may come from a search with a
        // smaller bound (its replay key says which).
        let smaller_bound = f
            .replay
            .as_deref()
            .and_then(|key| key.strip_prefix("loom:"))
            .and_then(|rest| rest.split(':').next())
            .filter(|bound| f.preemptions.is_some_and(|p| p.to_string() == *bound) && f.preemptions.is_some());
        let first = match smaller_bound {
            Some(bound) => format!(
                " of the search with at most {bound} {}; the full exploration first failed in execution {}",
                if bound == "1" { "preemption" } else { "preemptions" },
                f.first_execution
            ),
            None if f.first_execution != 0 && f.first_execution != f.execution => {
                format!("; first seen in execution {}", f.first_execution)
            }
            None => String::new(),
        };
        let _ = writeln!(out, "{}: {} (execution {}{first})", f.kind, f.message, f.execution);
        let times = |n: usize| if n == 1 { "preemption" } else { "preemptions" };
        if f.sc_order {
            let m = crate::trace::preemptions(&f.trace);
            let within = f.preemptions.map_or(String::new(), |n| {
                format!("loom shows this bug within {n} {}; ", times(n))
            });
            let _ = writeln!(
                out,
                "{within}the timeline below shows its steps in an order a sequentially consistent machine could \
                 run them in, which takes {m} {} (loom ran them in another order: it orders unsynchronised atomic \
                 accesses only as far as happens-before forces)",
                times(m)
            );
        } else if let Some(n) = f.preemptions {
            let _ = writeln!(
                out,
                "this bug needs {n} {}: the timeline below is one of the shortest schedules that shows it",
                times(n)
            );
        }
        if f.trace.is_empty() {
            // A scenario with notes explains itself (a check that stages a
            // race deterministically on real files, say).
            if self.backend == Backend::Hardware && self.notes.is_empty() {
                let _ = writeln!(
                    out,
                    "(real threads are not traced: explore with shuttle or loom to see the interleaving)"
                );
            }
        } else {
            out.push('\n');
            out.push_str(&render_timeline(
                &f.trace,
                RenderOptions {
                    color,
                    ..Default::default()
                },
            ));
            if let Some(o) = &f.outcome {
                let _ = writeln!(out, " outcome: {o}   expected {}   FORBIDDEN", self.expected);
            }
        }
        out
    }
}

/// Rows a table shows before it folds the rest into one summary row.
const MAX_TABLE_ROWS: usize = 8;

/// One table for several backends' reports of the same scenario: a row per
/// outcome, a column per backend (how many executions or runs produced it;
/// `-` where none did). Past [`MAX_TABLE_ROWS`] outcomes, the rarest are
/// summed in one row, so a hardware run with a hundred different counts
/// still fits a screen.
pub fn render_table(reports: &[Report]) -> String {
    // (outcome, grade, total count over the reports)
    let mut rows: Vec<(&str, Grade, u64)> = Vec::new();
    // The memory model's table, when the scenario has one, comes first and
    // in its own order; its grade is the model's, whatever a backend says.
    let model = reports.iter().map(|r| &r.model).find(|m| !m.is_empty());
    if let Some(model) = model {
        rows.extend(model.iter().map(|row| (row.outcome.as_str(), row.grade, 0)));
    }
    for r in reports {
        for row in &r.outcomes {
            match rows.iter_mut().find(|(o, _, _)| *o == row.outcome) {
                Some(existing) => existing.2 += row.count,
                None => rows.push((&row.outcome, row.grade, row.count)),
            }
        }
    }
    if model.is_none() {
        // Correct outcomes first, then the most frequent.
        rows.sort_by_key(|(_, g, n)| (*g, std::cmp::Reverse(*n)));
    }
    let folded = if model.is_none() && rows.len() > MAX_TABLE_ROWS {
        rows.split_off(MAX_TABLE_ROWS - 1)
    } else {
        Vec::new()
    };
    let fold_label = format!("({} other outcomes)", folded.len());
    let width = rows
        .iter()
        .map(|(o, _, _)| o.chars().count())
        .chain(std::iter::once(if folded.is_empty() { 0 } else { fold_label.len() }))
        .max()
        .unwrap_or(0)
        .max(7);
    let count_of = |r: &Report, outcome: &str| {
        r.outcomes
            .iter()
            .find(|row| row.outcome == outcome)
            .map(|row| row.count)
    };
    let cell = |n: Option<u64>| n.map_or_else(|| "-".to_owned(), |c| c.to_string());
    let mut out = String::new();
    let _ = write!(out, "  {:<width$}", "outcome");
    if model.is_some() {
        let _ = write!(out, " │ {:>9}", "C11 model");
    }
    for r in reports {
        let _ = write!(out, " │ {:>9}", r.backend.name());
    }
    let _ = writeln!(out, " │ grade");
    for (outcome, grade, _) in &rows {
        let _ = write!(out, "  {outcome:<width$}");
        if let Some(model) = model {
            let verdict = match model.iter().find(|m| m.outcome == *outcome) {
                Some(m) if m.grade == Grade::Forbidden => "forbidden",
                Some(_) => "allowed",
                None => "?",
            };
            let _ = write!(out, " │ {verdict:>9}");
        }
        for r in reports {
            let _ = write!(out, " │ {:>9}", cell(count_of(r, outcome)));
        }
        let _ = writeln!(out, " │ {grade}");
    }
    if !folded.is_empty() {
        let _ = write!(out, "  {fold_label:<width$}");
        for r in reports {
            let sum: u64 = folded.iter().filter_map(|(o, _, _)| count_of(r, o)).sum();
            let _ = write!(out, " │ {:>9}", cell((sum > 0).then_some(sum)));
        }
        let worst = folded.iter().map(|(_, g, _)| *g).max().unwrap_or(Grade::Acceptable);
        let best = folded.iter().map(|(_, g, _)| *g).min().unwrap_or(Grade::Acceptable);
        let grade = if worst == best {
            worst.to_string()
        } else {
            format!("{best} to {worst}")
        };
        let _ = writeln!(out, " │ {grade}");
    }
    if rows.is_empty() {
        let _ = writeln!(out, "  (no execution finished)");
    }
    let mut notes: Vec<&str> = Vec::new();
    for n in reports.iter().flat_map(|r| &r.notes) {
        if !notes.contains(&n.as_str()) {
            notes.push(n);
        }
    }
    for n in notes {
        let _ = writeln!(out, "  note: {n}");
    }
    out
}
