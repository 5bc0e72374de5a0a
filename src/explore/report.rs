//! What an exploration found, as data (and JSON); how it reads is `render.rs`.

use std::fmt;

use serde::{Deserialize, Serialize};

use super::Grade;
use crate::sync::Backend;
use crate::trace::Trace;

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

    /// The step limit's message when the spinning threads did yield: the
    /// hint to add a `spin_loop` would be beside the point.
    pub(super) const STEP_LIMIT_YIELDING: &'static str =
        "an execution ran past the step limit: its threads kept running without finishing, though the spinning ones \
         yield to the others: a livelock (each waits for something only another can do and none gives way, or for a \
         value that will not come again)";

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
    /// Why the exploration stopped before its bounds ran out, when what
    /// stopped it was no failure of the code (loom's own approximation).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub stopped: Option<String>,
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
}
