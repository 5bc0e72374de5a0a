//! How a lab's check ended, and what it printed and found.

use std::time::Duration;

use crate::explore::{FailureKind, Report};
use crate::scan::Escape;

/// How a check ended.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Verdict {
    /// Every explored execution under every backend was acceptable.
    Holds,
    /// A backend found a failure (see the reports).
    Fails,
    /// The file uses types the models cannot see; nothing was run.
    LeftTheModel(Vec<Escape>),
    /// The code did not compile (see `stderr`).
    CompileError,
    /// The check itself crashed (see `stdout`/`stderr`).
    Crashed,
    /// The check ran past the time limit and was stopped.
    TimeLimit(Duration),
    /// The user stopped it.
    Cancelled,
}

impl Verdict {
    /// The verdict in a few words (`racelab verify` prints it).
    pub fn short(&self, checked: &Checked) -> String {
        match self {
            Verdict::Holds => "holds".to_owned(),
            Verdict::Fails => checked
                .failure_kind()
                .map_or_else(|| "fails".to_owned(), |k| format!("fails ({k})")),
            Verdict::LeftTheModel(escapes) => format!(
                "left the model ({})",
                escapes.first().map_or_else(String::new, |e| e.found.clone())
            ),
            Verdict::CompileError => "does not compile".to_owned(),
            Verdict::Crashed => "the check crashed".to_owned(),
            Verdict::TimeLimit(limit) => format!("time limit ({} s)", limit.as_secs()),
            Verdict::Cancelled => "cancelled".to_owned(),
        }
    }
}

/// What a check printed and found.
#[derive(Clone, Debug)]
pub struct Checked {
    pub verdict: Verdict,
    pub reports: Vec<Report>,
    pub stdout: String,
    pub stderr: String,
}

impl Checked {
    pub(super) fn without_reports(verdict: Verdict, stderr: String) -> Self {
        Checked {
            verdict,
            reports: Vec::new(),
            stdout: String::new(),
            stderr,
        }
    }

    /// The kind of the first failure, if a backend found one.
    pub fn failure_kind(&self) -> Option<FailureKind> {
        self.reports.iter().find_map(|r| r.failure.as_ref().map(|f| f.kind))
    }

    /// Whether a check that should reject its code did: it failed, or the
    /// file left the model, or it did not end in time (anything but a pass
    /// or a broken check).
    pub fn rejects(&self) -> bool {
        matches!(
            self.verdict,
            Verdict::Fails | Verdict::LeftTheModel(_) | Verdict::TimeLimit(_) | Verdict::CompileError
        )
    }
}
