//! One call for a user's own code: [`model`], a drop-in for `loom::model`.
//!
//! Shows: the closure, written against [`crate::sync`], runs under every
//! model checker compiled into the build (shuttle, then loom); a failed
//! `assert!`, a deadlock, a data race, a step limit, an exploration that
//! stopped at its cap, or a *vacuous* one (no two threads touched one
//! `racelab::sync` object) panics with the backend, the kind of failure, the
//! timeline of the execution that showed it and a key that replays exactly
//! that execution. A closure that passes returns quietly.
//!
//! Costs: each backend explores on its own, one after the other (shuttle's
//! 1000 PCT schedules, then loom's every interleaving within 3 preemptions);
//! every execution records its events for the timeline. A build with no model
//! backend panics rather than run on real threads, which would prove
//! nothing (ask for [`Backend::Hardware`] by name to run there anyway).
//!
//! ```
//! use racelab::sync::{atomic::{AtomicU64, Ordering::SeqCst}, thread, Arc};
//!
//! racelab::model(|| {
//!     let n = Arc::new(AtomicU64::new(0));
//!     let m = Arc::clone(&n);
//!     let t = thread::spawn(move || m.fetch_add(1, SeqCst));
//!     n.fetch_add(1, SeqCst);
//!     t.join().unwrap();
//!     assert_eq!(n.load(SeqCst), 2);
//! });
//! ```

use std::fmt::{self, Write};
use std::hash::Hash;
use std::panic::Location;

use crate::explore::{Explorer, FailureKind, Report, Scenario, Shown};
use crate::sync::Backend;
use crate::trace::{render_timeline, RenderOptions};

/// Checks `f` under every model backend in this build: shuttle's PCT
/// schedules (seed `0x5eed`, depth 3, 1000 schedules), then every loom
/// interleaving with at most 3 preemptions. Returns quietly if every
/// execution finished without a failure; [`Builder`] changes the bounds.
///
/// `f` uses [`crate::sync`] (std's API) for everything it shares: the models
/// cannot see `std::sync`, `std::thread` or `parking_lot`, and an exploration
/// in which no two threads touched one `racelab::sync` object is a failure
/// (`vacuous`), not a pass. What `f` returns is only counted: any
/// `Debug + Clone + Eq + Hash` value, often `()`.
///
/// # Panics
/// On the first backend whose exploration failed: a panic inside `f` (a
/// failed `assert!`), a deadlock, a data race (loom), a leak (loom), a step
/// limit (a livelock, or a spin loop that never yields), an exploration
/// stopped at its cap, or a vacuous one. The message names the backend and
/// the kind, draws the failing execution's timeline and gives its replay
/// key. Also panics if this build has no model backend: enable the
/// `shuttle` (default) or `loom` feature.
#[track_caller]
pub fn model<T, F>(f: F)
where
    F: Fn() -> T + Send + Sync + 'static,
    T: fmt::Debug + Clone + Eq + Hash + Send + Sync + 'static,
{
    Builder::new().check_at(Location::caller(), f);
}

/// [`model`] with its bounds changed, or one execution replayed.
///
/// ```
/// use racelab::model::Builder;
/// use racelab::sync::{Arc, Mutex, thread};
///
/// Builder::new().seed(7).depth(2).schedules(200).preemption_bound(Some(2)).check(|| {
///     let n = Arc::new(Mutex::new(0));
///     let m = Arc::clone(&n);
///     let t = thread::spawn(move || *m.lock().unwrap() += 1);
///     *n.lock().unwrap() += 1;
///     t.join().unwrap();
///     let total = *n.lock().unwrap();
///     total
/// });
/// ```
#[derive(Clone, Debug)]
pub struct Builder {
    shuttle: Explorer,
    loom: Explorer,
    hardware: Explorer,
    backends: Option<Vec<Backend>>,
    replay: Option<String>,
}

impl Default for Builder {
    fn default() -> Self {
        Builder::new()
    }
}

impl Builder {
    /// The bounds [`model`] uses: [`Explorer::shuttle`] and [`Explorer::loom`]'s.
    pub fn new() -> Self {
        Builder {
            shuttle: Explorer::shuttle(),
            loom: Explorer::loom(),
            hardware: Explorer::hardware(),
            backends: None,
            replay: None,
        }
    }

    /// shuttle's seed: the same seed explores the same schedules.
    pub fn seed(mut self, seed: u64) -> Self {
        self.shuttle = self.shuttle.with_seed(seed);
        self
    }

    /// shuttle's PCT depth: a bug that needs `d - 1` preemptions needs depth
    /// `d` (default 3).
    pub fn depth(mut self, depth: usize) -> Self {
        self.shuttle = self.shuttle.with_depth(depth);
        self
    }

    /// How many schedules shuttle tries (default 1000), or runs on
    /// [`Backend::Hardware`]. loom is not capped by it: it explores every
    /// interleaving within its bound (up to 200 000 executions).
    pub fn schedules(mut self, n: usize) -> Self {
        self.shuttle = self.shuttle.with_budget(n);
        self.hardware = self.hardware.with_budget(n);
        self
    }

    /// loom's preemption bound (default `Some(3)`); `None` explores every
    /// interleaving, which can take very long past two threads.
    pub fn preemption_bound(mut self, bound: Option<usize>) -> Self {
        self.loom = self.loom.with_preemption_bound(bound);
        self
    }

    /// Which backends run, in this order (default: shuttle, then loom, those
    /// compiled in). [`Backend::Hardware`] is allowed by name: real threads
    /// show what this machine did, and a pass there proves nothing.
    pub fn backends(mut self, backends: &[Backend]) -> Self {
        self.backends = Some(backends.to_vec());
        self
    }

    /// Runs only the execution a replay key names (from a failure's
    /// message), on the backend the key is for.
    pub fn replay(mut self, key: impl Into<String>) -> Self {
        self.replay = Some(key.into());
        self
    }

    /// [`model`] with these bounds.
    ///
    /// # Panics
    /// As [`model`] does; also on a replay key that is not valid, or names
    /// a backend not in this build.
    #[track_caller]
    pub fn check<T, F>(&self, f: F)
    where
        F: Fn() -> T + Send + Sync + 'static,
        T: fmt::Debug + Clone + Eq + Hash + Send + Sync + 'static,
    {
        self.check_at(Location::caller(), f);
    }

    /// Explores `f` on each backend and returns the reports, failed or not
    /// (their outcome tables count `f`'s return values, shown with `{:?}`).
    ///
    /// # Panics
    /// If this build has no model backend, a backend asked for is not in
    /// it, or a replay key is not valid.
    #[track_caller]
    pub fn reports<T, F>(&self, f: F) -> Vec<Report>
    where
        F: Fn() -> T + Send + Sync + 'static,
        T: fmt::Debug + Clone + Eq + Hash + Send + Sync + 'static,
    {
        self.reports_at(Location::caller(), f)
    }

    #[track_caller]
    fn check_at<T, F>(&self, at: &Location<'_>, f: F)
    where
        F: Fn() -> T + Send + Sync + 'static,
        T: fmt::Debug + Clone + Eq + Hash + Send + Sync + 'static,
    {
        for report in self.reports_at(at, f) {
            if let Some(message) = failure_message(&report) {
                panic!("{message}");
            }
        }
    }

    fn reports_at<T, F>(&self, at: &Location<'_>, f: F) -> Vec<Report>
    where
        F: Fn() -> T + Send + Sync + 'static,
        T: fmt::Debug + Clone + Eq + Hash + Send + Sync + 'static,
    {
        let name = format!("racelab::model at {}:{}", at.file(), at.line());
        let scenario = Scenario::new(name, move || Shown(f()));
        let mut reports = Vec::new();
        for explorer in self.explorers() {
            let report = match &self.replay {
                Some(key) => explorer.replay(&scenario, key),
                None => explorer.explore(&scenario),
            };
            let report = report.unwrap_or_else(|e| panic!("racelab::model: {e}"));
            let failed = report.failure.is_some() || !report.complete;
            reports.push(report);
            if failed {
                break;
            }
        }
        reports
    }

    /// The explorers to run, in order.
    fn explorers(&self) -> Vec<&Explorer> {
        if let Some(key) = &self.replay {
            return match key.split(':').next() {
                Some("shuttle") => vec![&self.shuttle],
                Some("loom") => vec![&self.loom],
                _ => panic!("racelab::model: not a valid replay key: {key} (keys start with `shuttle:` or `loom:`)"),
            };
        }
        let backends = match &self.backends {
            Some(chosen) => chosen.clone(),
            None => [Backend::Shuttle, Backend::Loom]
                .into_iter()
                .filter(|b| b.is_available())
                .collect(),
        };
        assert!(
            !backends.is_empty(),
            "racelab::model needs a model checker, and this build has none: enable the `shuttle` feature (on by \
             default) or `--features loom`. Real threads would prove nothing; to run on them anyway, ask for it: \
             racelab::model::Builder::new().backends(&[Backend::Hardware])"
        );
        backends
            .into_iter()
            .map(|b| match b {
                Backend::Shuttle => &self.shuttle,
                Backend::Loom => &self.loom,
                Backend::Hardware => &self.hardware,
            })
            .collect()
    }
}

/// What [`model`] panics with when `report` is not a pass: `None` if it is.
fn failure_message(report: &Report) -> Option<String> {
    let mut out = String::new();
    let Some(f) = &report.failure else {
        if report.complete {
            return None;
        }
        if let Some(why) = &report.stopped {
            let _ = write!(
                out,
                "{}: no failure in {} executions under {}, but {why}: not a proof",
                report.scenario, report.executions, report.backend
            );
            return Some(out);
        }
        let _ = write!(
            out,
            "{}: no failure in {} executions under {}, but the exploration stopped at its cap ({}): not a proof. \
             Lower the bound (racelab::model::Builder::preemption_bound) or check fewer threads",
            report.scenario, report.executions, report.backend, report.bounds
        );
        return Some(out);
    };
    let _ = writeln!(
        out,
        "{} failed under {}: {}\n{}",
        report.scenario, report.backend, f.kind, f.message
    );
    let _ = writeln!(out, "found in execution {} ({})", f.execution, report.bounds);
    if f.trace.is_empty() {
        if report.backend == Backend::Hardware {
            let _ = writeln!(
                out,
                "(real threads are not traced: check under shuttle or loom to see the interleaving)"
            );
        }
    } else {
        out.push('\n');
        out.push_str(&render_timeline(&f.trace, RenderOptions::default()));
    }
    if f.kind == FailureKind::Vacuous {
        let _ = writeln!(
            out,
            "share through racelab::sync's types (Mutex, atomic, cell::UnsafeCell, mpsc...) and spawn with \
             racelab::sync::thread, not std's"
        );
    }
    if let Some(key) = &f.replay {
        let _ = writeln!(out, "replay key: {key}");
        let _ = writeln!(
            out,
            "replay just this execution: racelab::model::Builder::new().replay(\"{key}\").check(|| ...)"
        );
    }
    Some(out)
}
