//! The loom backend: every interleaving, within a preemption bound.
//!
//! loom runs the scenario again and again, each time choosing differently
//! at one scheduling point, until every distinct interleaving (up to
//! dynamic partial-order reduction) within the bound has run. It models the
//! C11 memory model, so `Relaxed` loads can return stale values, and checks
//! every `UnsafeCell` access for data races. It never produces load
//! buffering, and models `SeqCst` loads and stores as `AcqRel` (loom issue
//! 180); racelab's atomics make up for it ([`crate::sync::atomic`]), and an
//! execution that still only a weaker order explains is graded interesting
//! ([`crate::trace::beyond_seq_cst`]). An execution the step limit cut short
//! while still making progress is no failure: the report says the
//! exploration stopped ([`crate::trace::still_progressing`]).
//!
//! loom explores in a fixed order, so execution `k` under the same bound is
//! always the same execution: the replay key is `loom:<bound>:<k>`.

use std::panic::{self, AssertUnwindSafe};
use std::sync::{Arc, Mutex};

use super::quiet::{payload_text, take_last};
use super::report::{FailureKind, Report};
use super::tally::{Stop, Tally, STOP};
use super::{ExploreError, LoomConfig, Outcome, Scenario};
use crate::sync::{backend, Backend};
use crate::trace;

/// Runs up to `cap` executions, or until `stop` says so; with `only`,
/// tallies execution `only` alone.
fn run<O: Outcome>(
    c: &LoomConfig,
    scenario: &Scenario<O>,
    cap: usize,
    only: Option<u64>,
    stop: Stop,
) -> (Tally<O>, bool) {
    let mut builder = loom::model::Builder::new();
    builder.preemption_bound = c.preemption_bound;
    builder.max_branches = c.max_branches;
    builder.max_permutations = Some(cap + 1);
    builder.checkpoint_interval = 1;
    builder.checkpoint_file = None;
    builder.max_duration = None;
    builder.location = true;
    builder.log = false;

    let tally = Arc::new(Mutex::new(Tally::new()));
    tally.lock().unwrap_or_else(|p| p.into_inner()).stop = stop;
    let started = Arc::new(Mutex::new(0u64));
    let (s, t, n) = (scenario.clone(), Arc::clone(&tally), Arc::clone(&started));
    let tracing = c.trace;
    let _backend = backend::enter(Backend::Loom);
    let result = panic::catch_unwind(AssertUnwindSafe(|| {
        builder.check(move || {
            let index = {
                let mut n = n.lock().unwrap_or_else(|p| p.into_inner());
                *n += 1;
                *n
            };
            trace::start(tracing);
            let (outcome, grade) = s.run_once();
            let finished = trace::finish(false);
            if only.is_none_or(|k| k == index) {
                let mut tally = t.lock().unwrap_or_else(|p| p.into_inner());
                tally.count(outcome, grade, finished.shared, || finished.trace);
                if tally.should_stop() {
                    drop(tally);
                    panic!("{STOP}");
                }
            }
        });
    }));
    // A failed execution may leave its closure (and our `Arc`) leaked
    // inside the model, so take the tally out rather than unwrap the `Arc`.
    let mut tally = std::mem::replace(&mut *tally.lock().unwrap_or_else(|p| p.into_inner()), Tally::new());
    let started = *started.lock().unwrap_or_else(|p| p.into_inner());
    let complete = match result {
        Ok(()) => (started as usize) < cap,
        Err(payload) => {
            let message = take_last().unwrap_or_else(|| payload_text(&*payload));
            if message.contains(STOP) {
                trace::finish(false);
            } else {
                let kind = FailureKind::from_panic(&message);
                tally.failed(kind, message, trace::finish(kind.is_stuck()).trace);
            }
            false
        }
    };
    (tally, complete)
}

/// `loom:<bound>:<k>`, and `:<branches>` when the step limit was not the
/// default one.
fn key(c: &LoomConfig, execution: u64) -> String {
    let bound = c.preemption_bound.map_or("none".to_owned(), |b| b.to_string());
    if c.max_branches == super::DEFAULT_MAX_BRANCHES {
        format!("loom:{bound}:{execution}")
    } else {
        format!("loom:{bound}:{execution}:{}", c.max_branches)
    }
}

/// The largest bound tried when looking for the fewest preemptions of a
/// bug found with no bound at all.
const UNBOUNDED_SEARCH: usize = 4;

pub(super) fn explore<O: Outcome>(c: &LoomConfig, scenario: &Scenario<O>) -> Report {
    let stop = if c.stop_at_first_failure {
        Stop::First
    } else {
        Stop::Never
    };
    let (tally, complete) = run(c, scenario, c.max_executions, None, stop);
    let mut report = tally.into_report(scenario, Backend::Loom, complete);
    let Some(f) = report.failure.as_mut() else {
        return report;
    };
    f.replay = Some(key(c, f.execution));
    if c.stop_at_first_failure || f.kind == FailureKind::Vacuous {
        return report;
    }
    // Iterative context bounding (as in CHESS): the same bug under bound 0,
    // 1, 2, ...; the first bound that shows it is the fewest preemptions it
    // needs, and its timeline the simplest to read.
    let below = c.preemption_bound.unwrap_or(UNBOUNDED_SEARCH + 1);
    let clarity = trace::clarity(&f.trace);
    // The smallest bound at which the bug shows only as stale reads, if
    // that is below the bound that shows it by interleaving.
    let mut weak_memory_at = None;
    // The failing trace that takes the fewest preemptions as shown: loom's
    // own count, or, for a trace shown in a sequentially consistent order
    // (`trace::sc_order`), the count of that order, which can be more.
    let mut best: Option<(usize, usize, super::Failure)> = None;
    for bound in 0..below {
        if best.as_ref().is_some_and(|(shown, _, _)| *shown <= bound) {
            break;
        }
        let smaller = LoomConfig {
            preemption_bound: Some(bound),
            ..c.clone()
        };
        let (tally, _) = run(&smaller, scenario, c.max_executions, None, Stop::Clear);
        let Some(mut found) = tally.failure.filter(|g| g.kind == f.kind) else {
            continue;
        };
        if trace::clarity(&found.trace) < clarity {
            weak_memory_at.get_or_insert(bound);
            continue;
        }
        found.first_execution = f.first_execution;
        found.replay = Some(key(&smaller, found.execution));
        found.preemptions = Some(bound);
        let shown = if found.sc_order {
            trace::preemptions(&found.trace)
        } else {
            bound
        };
        if best.as_ref().is_none_or(|(fewest, _, _)| shown < *fewest) {
            best = Some((shown, bound, found));
        }
    }
    if let Some((_, bound, mut found)) = best {
        if let Some(weak) = weak_memory_at.filter(|&weak| weak < bound) {
            report.notes.push(format!(
                "with {weak} preemptions loom shows this bug too, but only through stale reads the memory model \
                 allows: the timeline shown needs {bound} and explains it more clearly"
            ));
        }
        if let Some(at) = f.message.find(" (the exploration then stopped") {
            found.message.push_str(&f.message[at..]);
        }
        *f = found;
        return report;
    }
    if c.preemption_bound.is_some() {
        f.preemptions = c.preemption_bound;
    }
    report
}

pub(super) fn replay<O: Outcome>(
    c: &LoomConfig,
    scenario: &Scenario<O>,
    key_text: &str,
) -> Result<Report, ExploreError> {
    let bad = || ExploreError::BadReplayKey(key_text.to_owned());
    let mut parts = key_text.split(':').skip(1);
    let bound = match parts.next().ok_or_else(bad)? {
        "none" => None,
        b => Some(b.parse::<usize>().map_err(|_| bad())?),
    };
    let execution: u64 = parts.next().ok_or_else(bad)?.parse().map_err(|_| bad())?;
    let max_branches = match parts.next() {
        Some(b) => b.parse::<usize>().map_err(|_| bad())?,
        None => c.max_branches,
    };
    if execution == 0 || max_branches == 0 || parts.next().is_some() {
        return Err(bad());
    }
    let config = LoomConfig {
        preemption_bound: bound,
        max_branches,
        ..c.clone()
    };
    let (mut tally, _) = run(&config, scenario, execution as usize, Some(execution), Stop::Never);
    if let Some(f) = tally.failure.as_mut() {
        f.execution = execution;
        f.replay = Some(key_text.to_owned());
    }
    let mut report = tally.into_report(scenario, Backend::Loom, true);
    report.bounds = format!("replay of {key_text}");
    Ok(report)
}
