//! Counting outcomes across executions, and keeping the first failure.

use super::report::{Failure, FailureKind, OutcomeRow, Report};
use super::{Grade, Outcome};
use crate::sync::Backend;
use crate::trace::{self, Trace};

/// Marks the lines that explain a failure.
fn analyse(trace: &mut Trace) {
    trace::mark_lost_updates(trace);
    trace::mark_stale_reads(trace);
}

/// Outcomes seen so far, in order of first appearance.
pub(super) struct Tally<O> {
    pub(super) rows: Vec<(O, u64, Grade)>,
    pub(super) executions: u64,
    pub(super) failure: Option<Failure>,
    /// Executions in which threads shared something the model could see.
    shared: u64,
    /// The first execution's trace, while no execution has shared anything
    /// (it becomes the timeline of a `vacuous` report).
    unshared: Option<Trace>,
}

impl<O: Outcome> Tally<O> {
    pub(super) fn new() -> Self {
        Tally {
            rows: Vec::new(),
            executions: 0,
            failure: None,
            shared: 0,
            unshared: None,
        }
    }

    /// Counts one finished execution, which `shared` something the model
    /// could see or not. Returns true if its trace became the one kept (its
    /// replay key should then be kept too).
    ///
    /// The first forbidden execution is kept, until a clearer one turns up
    /// ([`trace::clarity`]): under loom a load may return an older value,
    /// which is true to the memory model but hard to read in a timeline.
    pub(super) fn count(&mut self, outcome: O, grade: Grade, shared: bool, trace: impl FnOnce() -> Trace) -> bool {
        self.executions += 1;
        match self.rows.iter_mut().find(|(o, _, _)| *o == outcome) {
            Some(row) => row.1 += 1,
            None => self.rows.push((outcome.clone(), 1, grade)),
        }
        if shared {
            self.shared += 1;
            self.unshared = None;
        }
        if grade != Grade::Forbidden {
            if self.shared == 0 && self.unshared.is_none() {
                self.unshared = Some(trace());
            }
            return false;
        }
        let kept = match &self.failure {
            None => None,
            Some(f) if f.kind == FailureKind::ForbiddenOutcome => Some(trace::clarity(&f.trace)),
            // A crash stopped the exploration; nothing replaces it.
            Some(_) => return false,
        };
        if kept == Some(2) {
            return false;
        }
        let mut trace = trace();
        analyse(&mut trace);
        if kept.is_some_and(|k| trace::clarity(&trace) <= k) {
            return false;
        }
        self.failure = Some(Failure {
            kind: FailureKind::ForbiddenOutcome,
            message: format!("outcome {outcome} is forbidden"),
            outcome: Some(outcome.to_string()),
            trace,
            replay: None,
            execution: self.executions,
        });
        true
    }

    /// Records an execution that ended in a panic (including the model
    /// checker's own: deadlock, data race, step limit, leak).
    pub(super) fn failed(&mut self, kind: FailureKind, raw: String, mut trace: Trace) {
        self.executions += 1;
        let executions = self.executions;
        match self.failure.as_mut() {
            Some(f) if f.kind != FailureKind::ForbiddenOutcome => return,
            // A forbidden outcome is the bug itself; a leak (loom: a message
            // left in a channel) or a step limit after it is what the bug
            // leads to, and says less. Keep the outcome, and say what then
            // stopped the exploration.
            Some(f) if matches!(kind, FailureKind::Leak | FailureKind::StepLimit) => {
                f.message.push_str(&format!(
                    " (the exploration then stopped at execution {executions}: {kind})"
                ));
                return;
            }
            _ => {}
        }
        analyse(&mut trace);
        let explained = match kind {
            FailureKind::Deadlock => trace::explain_deadlock(&mut trace),
            FailureKind::DataRace => trace::explain_data_race(&mut trace),
            _ => None,
        };
        let message = explained.unwrap_or_else(|| kind.explain(&raw));
        // A crash outranks an earlier forbidden outcome: it is what stopped
        // the exploration.
        self.failure = Some(Failure {
            kind,
            message,
            outcome: None,
            trace,
            replay: None,
            execution: self.executions,
        });
    }

    pub(super) fn into_report(mut self, scenario: &super::Scenario<O>, backend: Backend, complete: bool) -> Report {
        if self.failure.is_none() && self.executions > 0 && self.shared == 0 && backend.is_model() {
            self.failure = Some(Failure {
                kind: FailureKind::Vacuous,
                message: FailureKind::Vacuous.explain(""),
                outcome: None,
                trace: self.unshared.take().unwrap_or_default(),
                replay: None,
                execution: 1,
            });
        }
        Report {
            scenario: scenario.name().to_owned(),
            backend,
            expected: scenario.expected().to_owned(),
            executions: self.executions,
            complete,
            bounds: String::new(),
            outcomes: self
                .rows
                .into_iter()
                .map(|(o, count, grade)| OutcomeRow {
                    outcome: o.to_string(),
                    count,
                    grade,
                })
                .collect(),
            failure: self.failure,
            model: scenario
                .known
                .iter()
                .map(|(o, g)| OutcomeRow {
                    outcome: o.to_string(),
                    count: 0,
                    grade: *g,
                })
                .collect(),
            notes: scenario.notes.clone(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_step_limit_or_leak_after_a_forbidden_outcome_keeps_the_outcome() {
        for kind in [FailureKind::StepLimit, FailureKind::Leak] {
            let mut tally: Tally<u32> = Tally::new();
            tally.count(1, Grade::Forbidden, true, Trace::new);
            tally.failed(kind, "loom gave up".to_owned(), Trace::new());
            let f = tally.failure.expect("a failure");
            assert_eq!(f.kind, FailureKind::ForbiddenOutcome);
            assert!(
                f.message.contains(&format!("then stopped at execution 2: {kind}")),
                "{}",
                f.message
            );
        }
    }

    #[test]
    fn a_deadlock_after_a_forbidden_outcome_is_what_is_reported() {
        let mut tally: Tally<u32> = Tally::new();
        tally.count(1, Grade::Forbidden, true, Trace::new);
        tally.failed(FailureKind::Deadlock, "deadlock".to_owned(), Trace::new());
        assert_eq!(tally.failure.expect("a failure").kind, FailureKind::Deadlock);
    }
}
