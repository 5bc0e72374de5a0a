//! How a report reads: the outcome table, the verdict line and, on
//! failure, its timeline (`Report::render`), and the table of several
//! backends' outcomes side by side (`render_table`).

use std::fmt::Write;

use super::report::{Failure, Report};
use super::Grade;
use crate::sync::Backend;
use crate::trace::{render_timeline, RenderOptions};

impl Report {
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
                // A row graded interesting (a regrading, or an outcome the
                // model allows but rarely shows) is not "acceptable": say so.
                let interesting: u64 = self
                    .outcomes
                    .iter()
                    .filter(|o| o.grade == Grade::Interesting)
                    .map(|o| o.count)
                    .sum();
                // A sample proves nothing: shuttle says what it found, not
                // that the code holds.
                let verdict = if self.backend == Backend::Shuttle {
                    "no failure found, not a proof"
                } else {
                    "holds"
                };
                if interesting > 0 {
                    let _ = writeln!(
                        out,
                        "{verdict}: none of {} {} was forbidden; {interesting} reached an outcome graded interesting \
                         (see the notes){within}",
                        self.executions,
                        self.unit()
                    );
                } else if self.backend == Backend::Shuttle {
                    let _ = writeln!(
                        out,
                        "{verdict}: every one of {} sampled {} was acceptable{within}",
                        self.executions,
                        self.unit()
                    );
                } else {
                    let _ = writeln!(
                        out,
                        "holds: every one of {} {} was acceptable{within}",
                        self.executions,
                        self.unit()
                    );
                }
            }
            None => {
                let why = self.stopped.as_deref().unwrap_or("the exploration stopped at its cap");
                let _ = writeln!(
                    out,
                    "no failure in {} {}, but {why}: not a proof",
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
