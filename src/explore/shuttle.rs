//! The shuttle backend: randomized PCT schedules from a fixed seed.
//!
//! shuttle runs each execution's threads as coroutines on this OS thread
//! and picks which runs at each facade operation. PCT (probabilistic
//! concurrency testing) gives each schedule `depth - 1` priority changes: a
//! bug that needs `d` of them is found with probability ≥ 1/(n·k^(d-1)) per
//! schedule (Burckhardt et al., ASPLOS 2010). Every atomic behaves as
//! `SeqCst`, so weak-memory bugs are for loom.
//!
//! The schedule of every execution is recorded as it is made, so the first
//! bad one can be replayed exactly: its replay key is
//! `shuttle:<seed>:<task ids, one base-36 digit each, '.' for a random draw>`.

use std::panic::{self, AssertUnwindSafe};
use std::sync::{Arc, Mutex};

use shuttle::scheduler::{PctScheduler, ReplayScheduler, Schedule, Scheduler, Task, TaskId};
use shuttle::{Config, FailurePersistence, MaxSteps, Runner};

use super::quiet::{payload_text, take_last};
use super::report::{FailureKind, Report};
use super::tally::{Stop, Tally, STOP};
use super::{ExploreError, Outcome, Scenario, ShuttleConfig};
use crate::sync::{backend, Backend};
use crate::trace;

/// One execution's scheduling decisions: the seed, then each step's task
/// (`None` for a random draw).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
struct Steps {
    seed: u64,
    steps: Vec<Option<usize>>,
}

/// The schedule of the execution under way, and whether to keep it.
#[derive(Default)]
struct Log {
    current: Steps,
    keep_current: bool,
    kept: Option<Steps>,
}

impl Log {
    fn keep(&mut self) {
        if self.keep_current {
            self.kept = Some(self.current.clone());
        }
        self.keep_current = false;
    }
}

/// Wraps a scheduler and writes down each decision it makes.
struct Recording<S> {
    inner: S,
    log: Arc<Mutex<Log>>,
    /// Executions started so far.
    started: usize,
    /// Whether any execution had a real choice (two threads runnable).
    had_choice: bool,
}

impl<S: Scheduler> Scheduler for Recording<S> {
    fn new_execution(&mut self) -> Option<Schedule> {
        // A scenario with a single schedule has nothing more to explore
        // (and PCT would assert on it).
        if self.started > 0 && !self.had_choice {
            self.log.lock().unwrap_or_else(|p| p.into_inner()).keep();
            return None;
        }
        let schedule = self.inner.new_execution()?;
        self.started += 1;
        let mut log = self.log.lock().unwrap_or_else(|p| p.into_inner());
        log.keep();
        log.current = Steps {
            seed: schedule.seed,
            steps: Vec::new(),
        };
        Some(schedule)
    }

    fn next_task(&mut self, runnable: &[&Task], current: Option<TaskId>, is_yielding: bool) -> Option<TaskId> {
        self.had_choice |= runnable.len() > 1;
        let next = self.inner.next_task(runnable, current, is_yielding)?;
        self.log
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .current
            .steps
            .push(Some(usize::from(next)));
        Some(next)
    }

    fn next_u64(&mut self) -> u64 {
        self.log
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .current
            .steps
            .push(None);
        self.inner.next_u64()
    }
}

fn config(c: &ShuttleConfig) -> Config {
    let mut config = Config::new();
    config.failure_persistence = FailurePersistence::None;
    config.max_steps = MaxSteps::FailAfter(c.max_steps);
    config.silence_warnings = true;
    config
}

/// Runs the scenario under `scheduler`, tallying every execution.
fn run<O: Outcome, S: Scheduler + 'static>(
    c: &ShuttleConfig,
    scheduler: S,
    scenario: &Scenario<O>,
) -> (Tally<O>, bool, Option<String>) {
    let log = Arc::new(Mutex::new(Log::default()));
    let tally = Arc::new(Mutex::new(Tally::new()));
    tally.lock().unwrap_or_else(|p| p.into_inner()).stop = if c.stop_at_first_failure {
        Stop::First
    } else {
        Stop::Never
    };
    let runner = Runner::new(
        Recording {
            inner: scheduler,
            log: Arc::clone(&log),
            started: 0,
            had_choice: false,
        },
        config(c),
    );
    let (s, t, l) = (scenario.clone(), Arc::clone(&tally), Arc::clone(&log));
    let tracing = c.trace;
    let _backend = backend::enter(Backend::Shuttle);
    let result = panic::catch_unwind(AssertUnwindSafe(|| {
        runner.run(move || {
            trace::start(tracing);
            let (outcome, grade) = s.run_once();
            let finished = trace::finish(false);
            let mut tally = t.lock().unwrap_or_else(|p| p.into_inner());
            tally.saw(finished.blind);
            if tally.count(outcome, grade, finished.shared, || finished.trace) {
                l.lock().unwrap_or_else(|p| p.into_inner()).keep_current = true;
            }
            if tally.should_stop() {
                drop(tally);
                panic!("{STOP}");
            }
        })
    }));
    // A failed execution may leave its closure (and our `Arc`) leaked
    // inside the model, so take the tally out rather than unwrap the `Arc`.
    let mut tally = std::mem::replace(&mut *tally.lock().unwrap_or_else(|p| p.into_inner()), Tally::new());
    let complete = match result {
        Ok(_) => true,
        Err(payload) => {
            let message = take_last().unwrap_or_else(|| payload_text(&*payload));
            if !message.contains(STOP) {
                let kind = FailureKind::from_panic(&message);
                tally.failed(kind, message, trace::finish(kind.is_stuck()).trace);
                // The crash is the failure shown unless an earlier forbidden
                // outcome stays the headline (with its own schedule kept).
                if tally.failure.as_ref().is_some_and(|f| f.execution == tally.executions) {
                    let mut log = log.lock().unwrap_or_else(|p| p.into_inner());
                    log.kept = None;
                    log.keep_current = true;
                }
            }
            false
        }
    };
    let mut log = log.lock().unwrap_or_else(|p| p.into_inner());
    log.keep();
    let key = log.kept.as_ref().map(encode);
    (tally, complete, key)
}

pub(super) fn explore<O: Outcome>(c: &ShuttleConfig, scenario: &Scenario<O>) -> Report {
    let scheduler = PctScheduler::new_from_seed(c.seed, c.depth, c.iterations);
    let (tally, complete, key) = run(c, scheduler, scenario);
    let mut report = tally.into_report(scenario, Backend::Shuttle, complete);
    if let Some(f) = report.failure.as_mut() {
        f.replay = key;
        if !f.trace.is_empty() {
            f.preemptions = Some(trace::preemptions(&f.trace));
        }
    }
    report
}

pub(super) fn replay<O: Outcome>(c: &ShuttleConfig, scenario: &Scenario<O>, key: &str) -> Result<Report, ExploreError> {
    let schedule = decode(key).ok_or_else(|| ExploreError::BadReplayKey(key.to_owned()))?;
    let (tally, complete, _) = run(c, ReplayScheduler::new_from_schedule(schedule), scenario);
    let mut report = tally.into_report(scenario, Backend::Shuttle, complete);
    report.bounds = format!("replay of {key}");
    if let Some(f) = report.failure.as_mut() {
        f.replay = Some(key.to_owned());
    }
    Ok(report)
}

/// `shuttle:<seed hex>:<steps>`; a task id is one base-36 digit, or `(id)`
/// past 35; `.` is a random draw; `*n;` repeats the step before it `n`
/// times in all (a spin loop's thousands of steps stay a short key).
fn encode(schedule: &Steps) -> String {
    let symbol = |step: &Option<usize>| match *step {
        Some(id) if id < 36 => char::from_digit(id as u32, 36).unwrap_or('?').to_string(),
        Some(id) => format!("({id})"),
        None => ".".to_owned(),
    };
    let mut steps = String::new();
    let mut i = 0;
    while i < schedule.steps.len() {
        let run = schedule.steps[i..]
            .iter()
            .take_while(|s| **s == schedule.steps[i])
            .count();
        steps.push_str(&symbol(&schedule.steps[i]));
        if run >= 4 {
            steps.push_str(&format!("*{run};"));
        } else {
            for _ in 1..run {
                steps.push_str(&symbol(&schedule.steps[i]));
            }
        }
        i += run;
    }
    format!("shuttle:{:x}:{steps}", schedule.seed)
}

fn decode(key: &str) -> Option<Schedule> {
    let mut parts = key.splitn(3, ':');
    if parts.next()? != "shuttle" {
        return None;
    }
    let seed = u64::from_str_radix(parts.next()?, 16).ok()?;
    let mut schedule = Schedule::new(seed);
    let mut chars = parts.next()?.chars();
    // The last step, to repeat (`None` inside: a random draw).
    let mut last: Option<Option<usize>> = None;
    let push = |schedule: &mut Schedule, step: Option<usize>| match step {
        Some(id) => schedule.push_task(TaskId::from(id)),
        None => schedule.push_random(),
    };
    while let Some(ch) = chars.next() {
        let step = match ch {
            '.' => None,
            '(' => {
                let digits: String = chars.by_ref().take_while(|c| *c != ')').collect();
                Some(digits.parse::<usize>().ok()?)
            }
            '*' => {
                let digits: String = chars.by_ref().take_while(|c| *c != ';').collect();
                let times = digits.parse::<usize>().ok().filter(|n| *n >= 1)?;
                let step = last?;
                for _ in 1..times {
                    push(&mut schedule, step);
                }
                continue;
            }
            d => Some(d.to_digit(36)? as usize),
        };
        push(&mut schedule, step);
        last = Some(step);
    }
    Some(schedule)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn replay_keys_round_trip() {
        let steps = Steps {
            seed: 0x5eed,
            steps: vec![Some(0), Some(1), None, Some(40), Some(35)],
        };
        let key = encode(&steps);
        assert_eq!(key, "shuttle:5eed:01.(40)z");
        let schedule = decode(&key).expect("decodes");
        assert_eq!(schedule.seed, 0x5eed);
        assert_eq!(schedule.len(), 5);
    }

    #[test]
    fn a_long_run_of_one_step_is_a_short_key_that_round_trips() {
        let mut steps = vec![Some(0), Some(0)];
        steps.extend(std::iter::repeat_n(Some(1), 500));
        steps.extend([None, None, None, None, None, Some(40), Some(40), Some(40), Some(40)]);
        let key = encode(&Steps { seed: 1, steps });
        assert_eq!(key, "shuttle:1:001*500;.*5;(40)*4;");
        let schedule = decode(&key).expect("decodes");
        assert_eq!(schedule.len(), 2 + 500 + 5 + 4);
    }

    #[test]
    fn malformed_keys_are_rejected() {
        for key in [
            "loom:1:2",
            "shuttle:zz:01",
            "shuttle:5eed:0(x)",
            "shuttle:5eed:0!",
            "shuttle:5eed:*3;",
            "shuttle:5eed:0*x;",
            "shuttle:5eed:0*0;",
        ] {
            assert!(decode(key).is_none(), "{key}");
        }
    }
}
