//! Counting outcomes across executions, and keeping the first failure.

use super::report::{Failure, FailureKind, OutcomeRow, Report};
use super::{Grade, Outcome};
use crate::sync::Backend;
use crate::trace::{self, Trace, Why};

/// The panic message that ends an exploration told to stop at its first
/// failure ([`super::Explorer::stop_at_first_failure`]); not a failure.
pub(super) const STOP: &str = "racelab: stopped at the first failure";

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
    /// When to stop exploring early.
    pub(super) stop: Stop,
    /// What the executions did that a model may not have checked.
    blind: trace::BlindSpots,
    /// Executions graded forbidden that no SeqCst machine can run
    /// ([`trace::beyond_seq_cst`]), set aside.
    beyond_seq_cst: u64,
    /// Why the exploration stopped, when that was no failure of the code.
    stopped: Option<String>,
}

/// When an exploration stops before its bounds are exhausted.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Stop {
    /// Never: explore everything within the bounds.
    Never,
    /// At the first failure.
    First,
    /// At the first failure whose timeline marks the step that goes wrong,
    /// in the order loom ran it (a search for a simpler schedule of a bug
    /// already found; loom's).
    #[cfg_attr(not(feature = "loom"), allow(dead_code))]
    Clear,
}

/// Which of two failing traces to show: the clearer ([`trace::clarity`]),
/// then the one with fewer preemptions, then the shorter.
fn rank(trace: &Trace) -> (u8, std::cmp::Reverse<usize>, std::cmp::Reverse<usize>) {
    (
        trace::clarity(trace),
        std::cmp::Reverse(trace::preemptions(trace)),
        std::cmp::Reverse(trace.len()),
    )
}

impl<O: Outcome> Tally<O> {
    pub(super) fn new() -> Self {
        Tally {
            rows: Vec::new(),
            executions: 0,
            failure: None,
            shared: 0,
            unshared: None,
            stop: Stop::Never,
            blind: trace::BlindSpots::default(),
            beyond_seq_cst: 0,
            stopped: None,
        }
    }

    /// Notes what one execution did that a model may not check.
    pub(super) fn saw(&mut self, blind: trace::BlindSpots) {
        self.blind.cells_shared |= blind.cells_shared;
        self.blind.weak_orderings |= blind.weak_orderings;
    }

    /// Whether the exploration should stop now.
    pub(super) fn should_stop(&self) -> bool {
        match (self.stop, &self.failure) {
            (Stop::Never, _) | (_, None) => false,
            (Stop::First, Some(_)) => true,
            // A trace shown in a sequentially consistent order may take more
            // preemptions than loom's bound: look on for one that does not.
            (Stop::Clear, Some(f)) => {
                (trace::clarity(&f.trace) == 2 && !f.sc_order) || f.kind != FailureKind::ForbiddenOutcome
            }
        }
    }

    /// Counts one finished execution, which `shared` something the model
    /// could see or not. Returns true if its trace became the one kept (its
    /// replay key should then be kept too).
    ///
    /// The first forbidden execution is kept, until a better one turns up
    /// ([`rank`]): under loom a load may return an older value, which is
    /// true to the memory model but hard to read in a timeline, and under
    /// shuttle a later schedule may show the bug with fewer preemptions.
    pub(super) fn count(&mut self, outcome: O, grade: Grade, shared: bool, trace: impl FnOnce() -> Trace) -> bool {
        self.executions += 1;
        let mut make = Some(trace);
        let mut trace = || make.take().map(|f| f()).unwrap_or_default();
        // A forbidden outcome reached only in an order no SeqCst machine can
        // run, by SeqCst-only code, is loom's approximation (loom#180), not a
        // bug: graded interesting, and said so in a note.
        let mut built = None;
        let grade = if grade == Grade::Forbidden {
            let t = trace();
            let beyond = trace::beyond_seq_cst(&t);
            built = Some(t);
            if beyond {
                self.beyond_seq_cst += 1;
                Grade::Interesting
            } else {
                grade
            }
        } else {
            grade
        };
        match self.rows.iter_mut().find(|(o, _, _)| *o == outcome) {
            // A real execution of an outcome makes its row forbidden.
            Some(row) => {
                row.1 += 1;
                if grade == Grade::Forbidden {
                    row.2 = grade;
                }
            }
            None => self.rows.push((outcome.clone(), 1, grade)),
        }
        if shared {
            self.shared += 1;
            self.unshared = None;
        }
        if grade != Grade::Forbidden {
            if self.shared == 0 && self.unshared.is_none() {
                self.unshared = Some(built.take().unwrap_or_else(&mut trace));
            }
            return false;
        }
        let (kept, first) = match &self.failure {
            None => (None, self.executions),
            Some(f) if f.kind == FailureKind::ForbiddenOutcome => (Some(rank(&f.trace)), f.first_execution),
            // A crash stopped the exploration; nothing replaces it.
            Some(_) => return false,
        };
        if kept.is_some_and(|(clarity, preemptions, _)| clarity == 2 && preemptions.0 <= 1) {
            return false;
        }
        let _busy = trace::busy();
        let mut trace = built.take().unwrap_or_else(trace);
        let sc_order = trace::sc_order(&mut trace, Why::Wrong);
        trace::explain(&mut trace, Why::Wrong);
        if kept.is_some_and(|k| rank(&trace) <= k) {
            return false;
        }
        self.failure = Some(Failure {
            kind: FailureKind::ForbiddenOutcome,
            message: format!("outcome {outcome} is forbidden"),
            outcome: Some(outcome.to_string()),
            trace,
            replay: None,
            execution: self.executions,
            first_execution: first,
            preemptions: None,
            sc_order,
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
            // A forbidden outcome is the bug itself, and stays the headline;
            // what stopped the exploration later is reported beside it.
            Some(f) => {
                f.message.push_str(&format!(
                    " (the exploration then stopped at execution {executions}: {kind})"
                ));
                return;
            }
            None => {}
        }
        // What SeqCst-only code did only in an order no SeqCst machine can
        // run is loom's approximation (loom#180), not a failure; but loom
        // stopped there, so the exploration is incomplete.
        let ran_out = matches!(
            kind,
            FailureKind::StepLimit | FailureKind::Panic | FailureKind::DataRace | FailureKind::Deadlock
        );
        if kind == FailureKind::StepLimit {
            if let Some(i) = trace::still_progressing(&trace) {
                self.stopped = Some(format!(
                    "the model's step limit cut execution {executions} short while its threads were still making \
                     progress ({}'s step {} was one it had not taken before): a long execution, not a livelock; the executions \
                     before it found no failure, but the rest were not explored (raise the step limit to look further)",
                    trace[i].thread, trace[i].step
                ));
                return;
            }
        }
        if ran_out && trace::beyond_seq_cst(&trace) {
            self.stopped = Some(format!(
                "loom stopped at execution {executions} on a {kind} in an execution no SeqCst machine can run: every \
                 atomic access in it is SeqCst, which loom models as acquire/release (tokio-rs/loom#180), so that \
                 {kind} is loom's alone; the executions before it found no failure, but the rest were not explored \
                 (shuttle, which runs SeqCst as it is, can look further)"
            ));
            return;
        }
        let why = match kind {
            FailureKind::Deadlock | FailureKind::StepLimit | FailureKind::TimeLimit => Why::Stuck,
            FailureKind::DataRace => Why::DataRace,
            _ => Why::Wrong,
        };
        let _busy = trace::busy();
        let sc_order = trace::sc_order(&mut trace, why);
        let explained = trace::explain(&mut trace, why);
        let message = match (kind, explained) {
            (FailureKind::Panic, _) if super::quiet::take_foreign_thread() => {
                super::quiet::FOREIGN_THREAD_MESSAGE.to_owned()
            }
            (FailureKind::Deadlock | FailureKind::DataRace, Some(why)) => why,
            // A thread looping on a value it read once is the livelock.
            (FailureKind::StepLimit, Some(why)) if why.contains(" never finished: ") || why.contains(" spins on ") => {
                format!("{why}. {}", kind.explain(&raw))
            }
            (FailureKind::StepLimit, _) if trace.iter().any(|e| e.yielded || e.op == trace::Op::Yield) => {
                FailureKind::STEP_LIMIT_YIELDING.to_owned()
            }
            _ => kind.explain(&raw),
        };
        self.failure = Some(Failure {
            kind,
            message,
            outcome: None,
            trace,
            replay: None,
            execution: executions,
            first_execution: executions,
            preemptions: None,
            sc_order,
        });
    }

    /// What shuttle did not check, said beside its verdict (it runs every
    /// atomic as `SeqCst` and checks no cell for data races).
    fn shuttle_blind_spots(&self) -> Vec<String> {
        let mut notes = Vec::new();
        if self.blind.cells_shared {
            notes.push(
                "shuttle could not check for data races: two threads used one UnsafeCell, and shuttle does not detect data races \
                 (explore with loom, which does)"
                    .to_owned(),
            );
        }
        if self.blind.weak_orderings {
            notes.push(
                "shuttle could not check the weaker orderings: the atomics use orderings weaker than SeqCst, and shuttle runs them all as \
                 SeqCst (explore with loom for what Relaxed, Acquire and Release allow)"
                    .to_owned(),
            );
        }
        notes
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
                first_execution: 1,
                preemptions: None,
                sc_order: false,
            });
        }
        let mut notes = scenario.notes.clone();
        if backend == Backend::Shuttle && self.failure.is_none() {
            notes.extend(self.shuttle_blind_spots());
        }
        if self.beyond_seq_cst > 0 {
            let n = self.beyond_seq_cst;
            notes.push(format!(
                "{n} {} reached a forbidden outcome only in an order no SeqCst machine can run: every atomic access \
                 in {} is SeqCst, which loom models as acquire/release (tokio-rs/loom#180), so {} graded \
                 interesting, not a failure",
                if n == 1 { "execution" } else { "executions" },
                if n == 1 { "it" } else { "them" },
                if n == 1 { "it is" } else { "they are" },
            ));
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
            notes,
            stopped: self.stopped,
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
    fn a_deadlock_after_a_forbidden_outcome_is_reported_beside_it() {
        let mut tally: Tally<u32> = Tally::new();
        tally.count(1, Grade::Forbidden, true, Trace::new);
        tally.failed(FailureKind::Deadlock, "deadlock".to_owned(), Trace::new());
        let f = tally.failure.expect("a failure");
        assert_eq!(f.kind, FailureKind::ForbiddenOutcome);
        assert!(
            f.message.contains("then stopped at execution 2: deadlock"),
            "{}",
            f.message
        );
    }

    #[test]
    fn the_first_failing_execution_is_remembered_when_a_later_one_is_kept() {
        let mut tally: Tally<u32> = Tally::new();
        tally.count(0, Grade::Acceptable, true, Trace::new);
        tally.count(1, Grade::Forbidden, true, Trace::new);
        let f = tally.failure.as_ref().expect("a failure");
        assert_eq!((f.execution, f.first_execution), (2, 2));
        assert!(!tally.should_stop());
        tally.stop = Stop::First;
        assert!(tally.should_stop());
    }
}
