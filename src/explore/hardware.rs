//! The hardware backend: the scenario on real threads, many times.
//!
//! It shows what this machine does, not what it could do: a run without a
//! lost update proves nothing. The runs happen on a supervisor thread, so a
//! deadlock on real threads ends as a `time limit` report instead of a hang
//! (the stuck threads cannot be killed, and are left behind).

use std::sync::mpsc;
use std::time::Instant;

use super::quiet::payload_text;
use super::report::{FailureKind, Report};
use super::tally::Tally;
use super::{HardwareConfig, Outcome, Scenario};
use crate::sync::{backend, Backend};

enum Run<O> {
    Done(O, super::Grade),
    Panicked(String),
}

pub(super) fn explore<O: Outcome>(config: &HardwareConfig, scenario: &Scenario<O>) -> Report {
    let (tx, rx) = mpsc::channel();
    let runs = config.runs;
    let s = scenario.clone();
    let supervisor = std::thread::Builder::new()
        .name("racelab-hardware".into())
        .spawn(move || {
            let _backend = backend::enter(Backend::Hardware);
            backend::set_quiet_panics(true);
            if let Some(batch) = &s.batch {
                match std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| batch(runs))) {
                    Ok(outcomes) => {
                        for o in outcomes {
                            let g = s.grade_on(Backend::Hardware, &o);
                            if tx.send(Run::Done(o, g)).is_err() {
                                return;
                            }
                        }
                    }
                    Err(payload) => {
                        let _ = tx.send(Run::Panicked(payload_text(&*payload)));
                    }
                }
                return;
            }
            for _ in 0..runs {
                let run = match std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| s.run_once())) {
                    Ok((o, g)) => Run::Done(o, g),
                    Err(payload) => Run::Panicked(payload_text(&*payload)),
                };
                let stop = matches!(run, Run::Panicked(_));
                if tx.send(run).is_err() || stop {
                    return;
                }
            }
        });

    let mut tally = Tally::new();
    if let Err(e) = supervisor {
        tally.failed(FailureKind::Panic, format!("could not start a thread: {e}"), Vec::new());
        return tally.into_report(scenario, Backend::Hardware, false);
    }
    let deadline = Instant::now() + config.time_limit;
    let mut complete = false;
    loop {
        let left = deadline.saturating_duration_since(Instant::now());
        match rx.recv_timeout(left) {
            Ok(Run::Done(o, g)) => {
                tally.count(o, g, true, Vec::new);
            }
            Ok(Run::Panicked(message)) => {
                tally.failed(FailureKind::Panic, message, Vec::new());
                break;
            }
            Err(mpsc::RecvTimeoutError::Disconnected) => {
                complete = true;
                break;
            }
            Err(mpsc::RecvTimeoutError::Timeout) => {
                let message = format!(
                    "run {} did not finish within {:?}: a deadlock or livelock on real threads (its threads are left running)",
                    tally.executions + 1,
                    config.time_limit
                );
                tally.failed(FailureKind::TimeLimit, message, Vec::new());
                break;
            }
        }
    }
    tally.into_report(scenario, Backend::Hardware, complete)
}
