//! What a scenario is: a closure that returns an outcome, and a grading rule.

use std::fmt;
use std::hash::Hash;
use std::sync::Arc;

use serde::{Deserialize, Serialize};

/// How an outcome is judged (the grades of jcstress).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Grade {
    /// Correct.
    Acceptable,
    /// Allowed, but worth a look (for example, a weak-memory outcome that
    /// the model allows and real machines rarely show).
    Interesting,
    /// Wrong: the race the scenario is about.
    Forbidden,
}

impl fmt::Display for Grade {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Grade::Acceptable => "acceptable",
            Grade::Interesting => "interesting",
            Grade::Forbidden => "FORBIDDEN",
        })
    }
}

/// A scenario's result: small, comparable, printable. Tables print it with
/// `Display`; a value with only `Debug` (a tuple, an `Option`, a derived
/// struct) is printed with its `Debug` once wrapped in [`Shown`].
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot be a scenario's outcome: it needs Display (and Eq, Hash, Clone, Send, Sync)",
    note = "for a tuple, an Option or any Debug value, return racelab::explore::Shown(value): tables print it with Debug"
)]
pub trait Outcome: fmt::Display + Eq + Hash + Clone + Send + Sync + 'static {}
impl<T: fmt::Display + Eq + Hash + Clone + Send + Sync + 'static> Outcome for T {}

/// Any `Debug` value as an outcome, printed with its `Debug` text:
/// `Scenario::new("pair", || Shown((a, b))).expect_only(Shown((1, 2)))`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Shown<T>(pub T);

impl<T: fmt::Debug> fmt::Display for Shown<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:?}", self.0)
    }
}

impl<T> std::ops::Deref for Shown<T> {
    type Target = T;
    fn deref(&self) -> &T {
        &self.0
    }
}

use crate::sync::Backend;

type Body<O> = Arc<dyn Fn() -> O + Send + Sync>;
type Rule<O> = Arc<dyn Fn(&O) -> Grade + Send + Sync>;
type Batch<O> = Arc<dyn Fn(usize) -> Vec<O> + Send + Sync>;

/// A concurrent program to explore, and how to judge what it returns.
pub struct Scenario<O> {
    name: String,
    expected: String,
    pub(super) body: Body<O>,
    pub(super) grade: Rule<O>,
    /// A backend that grades some outcomes differently (a model checker's
    /// known over-approximation), with the reason.
    pub(super) regrade: Vec<(Backend, Rule<O>)>,
    /// Every outcome the memory model allows or forbids, for tables that
    /// list outcomes no backend reached.
    pub(super) known: Vec<(O, Grade)>,
    /// Remarks printed under the table (a backend's blind spot...).
    pub(super) notes: Vec<String>,
    /// Runs `n` instances on real threads at once, for effects that only
    /// show when threads overlap within nanoseconds (litmus tests).
    pub(super) batch: Option<Batch<O>>,
}

impl<O: Clone> Clone for Scenario<O> {
    fn clone(&self) -> Self {
        Scenario {
            name: self.name.clone(),
            expected: self.expected.clone(),
            body: Arc::clone(&self.body),
            grade: Arc::clone(&self.grade),
            regrade: self.regrade.iter().map(|(b, r)| (*b, Arc::clone(r))).collect(),
            known: self.known.iter().map(|(o, g)| (o.clone(), *g)).collect(),
            notes: self.notes.clone(),
            batch: self.batch.clone(),
        }
    }
}

impl<O: Outcome> Scenario<O> {
    /// A scenario whose every outcome is acceptable until a rule says
    /// otherwise ([`Scenario::expect`], [`Scenario::expect_only`]).
    pub fn new(name: impl Into<String>, body: impl Fn() -> O + Send + Sync + 'static) -> Self {
        Scenario {
            name: name.into(),
            expected: "any outcome".to_owned(),
            body: Arc::new(body),
            grade: Arc::new(|_| Grade::Acceptable),
            regrade: Vec::new(),
            known: Vec::new(),
            notes: Vec::new(),
            batch: None,
        }
    }

    /// Under `backend`, grades with `rule` instead (for a model checker's
    /// documented over-approximation; say why with [`Scenario::note`]).
    pub fn regrade_on(mut self, backend: Backend, rule: impl Fn(&O) -> Grade + Send + Sync + 'static) -> Self {
        self.regrade.push((backend, Arc::new(rule)));
        self
    }

    /// Lists every outcome the memory model allows or forbids, so tables
    /// show the ones no backend reached too.
    pub fn known_outcomes(mut self, known: impl IntoIterator<Item = (O, Grade)>) -> Self {
        self.known = known.into_iter().collect();
        self
    }

    /// Adds a remark that reports print under the table.
    pub fn note(mut self, text: impl Into<String>) -> Self {
        self.notes.push(text.into());
        self
    }

    /// Runs on real threads in batches: `batch(n)` returns `n` outcomes
    /// (used by the hardware backend instead of `n` single runs).
    pub fn hardware_batch(mut self, batch: impl Fn(usize) -> Vec<O> + Send + Sync + 'static) -> Self {
        self.batch = Some(Arc::new(batch));
        self
    }

    /// Grades an outcome as `backend` should.
    pub fn grade_on(&self, backend: Backend, outcome: &O) -> Grade {
        match self.regrade.iter().find(|(b, _)| *b == backend) {
            Some((_, rule)) => rule(outcome),
            None => (self.grade)(outcome),
        }
    }

    /// Grades outcomes with `rule`; `expected` says in words what a correct
    /// outcome is (reports print it under a failing timeline).
    pub fn expect(mut self, expected: impl Into<String>, rule: impl Fn(&O) -> Grade + Send + Sync + 'static) -> Self {
        self.expected = expected.into();
        self.grade = Arc::new(rule);
        self
    }

    /// Accepts exactly `expected`; everything else is forbidden.
    pub fn expect_only(self, expected: O) -> Self {
        let words = expected.to_string();
        self.expect(words, move |o| {
            if *o == expected {
                Grade::Acceptable
            } else {
                Grade::Forbidden
            }
        })
    }

    /// The scenario's name (`counter::racy`).
    pub fn name(&self) -> &str {
        &self.name
    }

    /// A correct outcome, in words.
    pub fn expected(&self) -> &str {
        &self.expected
    }

    /// Explores this scenario: `explorer.explore(self)`.
    pub fn explore(&self, explorer: &super::Explorer) -> Result<super::Report, super::ExploreError> {
        explorer.explore(self)
    }

    /// Replays one execution by its key: `explorer.replay(self, key)`.
    pub fn replay(&self, explorer: &super::Explorer, key: &str) -> Result<super::Report, super::ExploreError> {
        explorer.replay(self, key)
    }

    /// Runs the body once on the current backend and grades the outcome.
    pub fn run_once(&self) -> (O, Grade) {
        let o = (self.body)();
        let g = self.grade_on(crate::sync::current_backend(), &o);
        (o, g)
    }
}

impl<O> fmt::Debug for Scenario<O> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Scenario")
            .field("name", &self.name)
            .field("expected", &self.expected)
            .finish_non_exhaustive()
    }
}

/// A scenario with its outcome type erased, so scenarios of different
/// outcome types can sit in one catalogue.
pub trait Explorable: Send + Sync {
    /// The scenario's name.
    fn name(&self) -> &str;
    /// [`Explorer::explore`](super::Explorer::explore).
    fn explore(&self, explorer: &super::Explorer) -> Result<super::Report, super::ExploreError>;
    /// [`Explorer::replay`](super::Explorer::replay).
    fn replay(&self, explorer: &super::Explorer, key: &str) -> Result<super::Report, super::ExploreError>;
}

impl<O: Outcome> Explorable for Scenario<O> {
    fn name(&self) -> &str {
        Scenario::name(self)
    }

    fn explore(&self, explorer: &super::Explorer) -> Result<super::Report, super::ExploreError> {
        explorer.explore(self)
    }

    fn replay(&self, explorer: &super::Explorer, key: &str) -> Result<super::Report, super::ExploreError> {
        explorer.replay(self, key)
    }
}
