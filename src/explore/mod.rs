//! Runs a scenario on a backend, grades what it produced, keeps the first
//! bad execution.
//!
//! A [`Scenario`] is a closure that builds its shared state with
//! [`crate::sync`], runs threads, and returns an *outcome* (a small value such
//! as the final count) plus a rule that grades each outcome. An [`Explorer`]
//! runs it:
//! - [`Explorer::hardware`]: real threads, many runs; shows what the machine
//!   does, proves nothing about what it could do;
//! - [`Explorer::shuttle`]: PCT schedules from a fixed seed; finds most races
//!   in a few dozen executions, treats every atomic as `SeqCst`;
//! - [`Explorer::loom`]: every interleaving within a preemption bound, under
//!   the C11 memory model; a pass is a proof within that bound.
//!
//! The [`Report`] is a jcstress-style table (outcome, how often, grade) and,
//! if anything went wrong, the [`Failure`] with the trace of the first
//! execution that showed it and a key to replay exactly that execution.

mod hardware;
#[cfg(feature = "loom")]
mod loom;
mod quiet;
mod render;
mod report;
mod scenario;
#[cfg(feature = "shuttle")]
mod shuttle;
mod tally;
mod watchdog;

pub use render::render_table;
pub use report::{Failure, FailureKind, OutcomeRow, Report};
pub use scenario::{Explorable, Grade, Outcome, Scenario, Shown};
pub use watchdog::DEFAULT_STALL_LIMIT;

use std::time::Duration;

use thiserror::Error;

use crate::sync::Backend;

/// Bounds for the hardware backend.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct HardwareConfig {
    /// How many times the scenario runs.
    pub runs: usize,
    /// All runs together must finish within this, or the report says
    /// `time limit` (real threads that deadlock can only be waited for).
    pub time_limit: Duration,
}

/// Bounds for the shuttle backend.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ShuttleConfig {
    /// Seed of the PCT scheduler; the same seed explores the same schedules.
    pub seed: u64,
    /// PCT depth: how many priority changes one schedule may have. Depth 1
    /// never finds even a two-thread lost update; 2-3 finds most bugs.
    pub depth: usize,
    /// How many schedules to try.
    pub iterations: usize,
    /// Steps one execution may take before it is cut off as a livelock.
    pub max_steps: usize,
    /// Record every execution's events (for timelines). Off only to
    /// measure what recording costs: failures then come without a trace.
    pub trace: bool,
    /// Stop at the first failing execution (to measure how long finding a
    /// bug takes); the report is then incomplete.
    pub stop_at_first_failure: bool,
    /// How long the exploration may go without one operation the model
    /// sees before it is reported as stuck in code the model cannot see.
    pub stall_limit: Duration,
}

/// loom's default step limit: scheduling decisions per execution.
pub const DEFAULT_MAX_BRANCHES: usize = 1_000;

/// Bounds for the loom backend.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LoomConfig {
    /// How many times one execution may preempt a thread that could have
    /// gone on; `None` explores every interleaving (can take very long past
    /// two threads).
    pub preemption_bound: Option<usize>,
    /// Scheduling branches one execution may take before it is cut off as a
    /// livelock (a spin loop that never lets the other thread run).
    pub max_branches: usize,
    /// Stop after this many executions; the report then says the exploration
    /// was not complete.
    pub max_executions: usize,
    /// Record every execution's events (for timelines). Off only to
    /// measure what recording costs: failures then come without a trace.
    pub trace: bool,
    /// Stop at the first failing execution (to measure how long finding a
    /// bug takes); the report is then incomplete.
    pub stop_at_first_failure: bool,
    /// How long the exploration may go without one operation the model
    /// sees before it is reported as stuck in code the model cannot see.
    pub stall_limit: Duration,
}

/// How to explore: the backend and its bounds.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Explorer {
    Hardware(HardwareConfig),
    Shuttle(ShuttleConfig),
    Loom(LoomConfig),
}

/// The seed every shuttle exploration starts from unless told otherwise.
pub const DEFAULT_SEED: u64 = 0x5eed;

/// Why an exploration could not start.
#[derive(Debug, Error, PartialEq, Eq)]
pub enum ExploreError {
    #[error("the {0} backend is not in this build (rebuild with `--features {0}`)")]
    BackendMissing(Backend),
    #[error("not a valid replay key: {0}")]
    BadReplayKey(String),
    #[error("replay key is for {key}, but the explorer is {explorer}")]
    ReplayBackend { key: Backend, explorer: Backend },
}

impl Explorer {
    /// Real threads: 100 runs, 10 s for all of them.
    pub fn hardware() -> Self {
        Explorer::Hardware(HardwareConfig {
            runs: 100,
            time_limit: Duration::from_secs(10),
        })
    }

    /// shuttle's PCT scheduler: seed [`DEFAULT_SEED`], depth 3, 1000 schedules.
    pub fn shuttle() -> Self {
        Explorer::Shuttle(ShuttleConfig {
            seed: DEFAULT_SEED,
            depth: 3,
            iterations: 1000,
            max_steps: 20_000,
            trace: true,
            stop_at_first_failure: false,
            stall_limit: DEFAULT_STALL_LIMIT,
        })
    }

    /// loom: preemption bound 3, at most 1000 branches per execution and
    /// 200 000 executions.
    pub fn loom() -> Self {
        Explorer::Loom(LoomConfig {
            preemption_bound: Some(3),
            max_branches: DEFAULT_MAX_BRANCHES,
            max_executions: 200_000,
            trace: true,
            stop_at_first_failure: false,
            stall_limit: DEFAULT_STALL_LIMIT,
        })
    }

    /// The default explorer for a backend.
    pub fn for_backend(backend: Backend) -> Self {
        match backend {
            Backend::Hardware => Explorer::hardware(),
            Backend::Shuttle => Explorer::shuttle(),
            Backend::Loom => Explorer::loom(),
        }
    }

    /// The backend this explorer runs on.
    pub fn backend(&self) -> Backend {
        match self {
            Explorer::Hardware(_) => Backend::Hardware,
            Explorer::Shuttle(_) => Backend::Shuttle,
            Explorer::Loom(_) => Backend::Loom,
        }
    }

    /// Sets the seed (shuttle only; the others ignore it).
    pub fn with_seed(mut self, seed: u64) -> Self {
        if let Explorer::Shuttle(c) = &mut self {
            c.seed = seed;
        }
        self
    }

    /// Sets shuttle's PCT depth: how many priority changes one schedule may
    /// have (the others ignore it). A bug that needs `d - 1` preemptions
    /// needs depth `d`.
    pub fn with_depth(mut self, depth: usize) -> Self {
        if let Explorer::Shuttle(c) = &mut self {
            c.depth = depth;
        }
        self
    }

    /// Sets how many runs (hardware) or schedules (shuttle) to try, or the
    /// execution cap (loom).
    pub fn with_budget(mut self, n: usize) -> Self {
        match &mut self {
            Explorer::Hardware(c) => c.runs = n,
            Explorer::Shuttle(c) => c.iterations = n,
            Explorer::Loom(c) => c.max_executions = n,
        }
        self
    }

    /// Turns event recording off (or on) under the models; hardware runs
    /// never record. Without it, failures come without a timeline: this is
    /// for measuring what recording costs (`benches/explorer.rs`).
    pub fn with_tracing(mut self, on: bool) -> Self {
        match &mut self {
            Explorer::Hardware(_) => {}
            Explorer::Shuttle(c) => c.trace = on,
            Explorer::Loom(c) => c.trace = on,
        }
        self
    }

    /// Stops the exploration at its first failing execution (the models;
    /// hardware runs ignore it), so the time to the first bug can be
    /// measured. Under loom the timeline is then not reduced to the fewest
    /// preemptions, and the report is incomplete.
    pub fn stop_at_first_failure(mut self) -> Self {
        match &mut self {
            Explorer::Hardware(_) => {}
            Explorer::Shuttle(c) => c.stop_at_first_failure = true,
            Explorer::Loom(c) => c.stop_at_first_failure = true,
        }
        self
    }

    /// Sets how long a model exploration may go without one operation the
    /// model sees (a thread spinning on a `std` atomic never yields to the
    /// scheduler) before the report says `time limit` and names the likely
    /// cause, rather than hang; hardware runs ignore it.
    pub fn with_stall_limit(mut self, limit: Duration) -> Self {
        match &mut self {
            Explorer::Hardware(_) => {}
            Explorer::Shuttle(c) => c.stall_limit = limit,
            Explorer::Loom(c) => c.stall_limit = limit,
        }
        self
    }

    /// How long a model exploration may stand still (`None` on hardware).
    fn stall_limit(&self) -> Option<Duration> {
        match self {
            Explorer::Hardware(_) => None,
            Explorer::Shuttle(c) => Some(c.stall_limit),
            Explorer::Loom(c) => Some(c.stall_limit),
        }
    }

    /// Sets how long all hardware runs together may take before the report
    /// says `time limit` (the models ignore it).
    pub fn with_time_limit(mut self, limit: Duration) -> Self {
        if let Explorer::Hardware(c) = &mut self {
            c.time_limit = limit;
        }
        self
    }

    /// Sets loom's preemption bound (others ignore it).
    pub fn with_preemption_bound(mut self, bound: Option<usize>) -> Self {
        if let Explorer::Loom(c) = &mut self {
            c.preemption_bound = bound;
        }
        self
    }

    /// The bounds in words, as reports print them.
    pub fn describe(&self) -> String {
        match self {
            Explorer::Hardware(c) => format!("{} runs on real threads", c.runs),
            Explorer::Shuttle(c) => format!(
                "PCT, seed {:#x}, depth {}, up to {} schedules",
                c.seed, c.depth, c.iterations
            ),
            Explorer::Loom(c) => match c.preemption_bound {
                Some(b) => format!("every interleaving with at most {b} preemptions"),
                None => "every interleaving (no preemption bound)".to_owned(),
            },
        }
    }

    /// Runs `scenario` and reports every outcome it produced.
    pub fn explore<O: Outcome>(&self, scenario: &Scenario<O>) -> Result<Report, ExploreError> {
        let backend = self.backend();
        if !backend.is_available() {
            return Err(ExploreError::BackendMissing(backend));
        }
        let explored = self.watched(scenario, |explorer, scenario| {
            let _quiet = quiet::QuietPanics::enter();
            match explorer {
                Explorer::Hardware(c) => hardware::explore(c, scenario),
                #[cfg(feature = "shuttle")]
                Explorer::Shuttle(c) => shuttle::explore(c, scenario),
                #[cfg(feature = "loom")]
                Explorer::Loom(c) => loom::explore(c, scenario),
                #[allow(unreachable_patterns)]
                _ => unreachable!("availability was checked above"),
            }
        });
        let mut report = explored.unwrap_or_else(|stalled| *stalled);
        report.bounds = match (self, &scenario.batch) {
            (Explorer::Hardware(c), Some(_)) => format!(
                "{} runs of {} instances each, batched on real threads",
                c.runs,
                report.executions / c.runs.max(1) as u64
            ),
            _ => self.describe(),
        };
        Ok(report)
    }

    /// Runs just the execution a replay key names, and returns its report
    /// (one execution, with its trace).
    pub fn replay<O: Outcome>(&self, scenario: &Scenario<O>, key: &str) -> Result<Report, ExploreError> {
        let backend = self.backend();
        if !backend.is_available() {
            return Err(ExploreError::BackendMissing(backend));
        }
        let key_backend = match key.split(':').next() {
            Some("shuttle") => Backend::Shuttle,
            Some("loom") => Backend::Loom,
            _ => return Err(ExploreError::BadReplayKey(key.to_owned())),
        };
        if key_backend != backend {
            return Err(ExploreError::ReplayBackend {
                key: key_backend,
                explorer: backend,
            });
        }
        let key = key.to_owned();
        let replayed = self.watched(scenario, move |explorer, scenario| {
            let _quiet = quiet::QuietPanics::enter();
            match explorer {
                #[cfg(feature = "shuttle")]
                Explorer::Shuttle(c) => shuttle::replay(c, scenario, &key),
                #[cfg(feature = "loom")]
                Explorer::Loom(c) => loom::replay(c, scenario, &key),
                _ => Err(ExploreError::BadReplayKey(key.clone())),
            }
        });
        replayed.unwrap_or_else(|stalled| Ok(*stalled))
    }

    /// Runs `run` on `scenario`; under a model, on a thread of its own and
    /// watched, so an exploration stuck in code the model cannot see comes
    /// back as a `time limit` report (`Err`) rather than a hang.
    fn watched<O: Outcome, R: Send + 'static>(
        &self,
        scenario: &Scenario<O>,
        run: impl FnOnce(&Explorer, &Scenario<O>) -> R + Send + 'static,
    ) -> Result<R, Box<Report>> {
        let Some(limit) = self.stall_limit() else {
            return Ok(run(self, scenario));
        };
        // shuttle writes "Test deadlocked" and "test panicked in task" to
        // stderr. Held here, not on the exploring thread: a stuck
        // exploration must not keep standard error held for ever.
        let _stderr = (self.backend() == Backend::Shuttle).then(quiet::QuietStderr::enter);
        let (explorer, owned) = (self.clone(), scenario.clone());
        watchdog::watched(limit, move || run(&explorer, &owned)).map_err(|stalled| {
            let mut tally = tally::Tally::<O>::new();
            tally.failed(
                FailureKind::TimeLimit,
                watchdog::stall_message(limit, &stalled),
                Vec::new(),
            );
            Box::new(tally.into_report(scenario, self.backend(), false))
        })
    }
}
