//! The hardware backend: the scenario on real threads, many times.
//!
//! It shows what this machine does, not what it could do: a run without a
//! lost update proves nothing. The runs happen on a supervisor thread, so a
//! deadlock on real threads ends as a `time limit` report instead of a hang
//! (the stuck threads cannot be killed, and are left behind). A run that
//! panics after joining a thread that panicked (`join().unwrap()`) reports
//! that thread's own message first: the facade's `join` keeps it aside.

use std::sync::mpsc;
use std::time::Instant;

use super::quiet::payload_text;
use super::report::{FailureKind, Report};
use super::tally::Tally;
use super::{HardwareConfig, Outcome, Scenario};
use crate::sync::{backend, thread, Backend};

/// A run's panic message, after the panic of a thread it joined, if any:
/// `join().unwrap()` on a panicked thread says only `Any { .. }`, and the
/// thread's own message is the one that explains the failure.
fn with_joined_panic(message: String) -> String {
    match thread::take_joined_panic() {
        Some(joined) => format!("{joined} (then, in the thread that joined it: {message})"),
        None => message,
    }
}

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
                        let _ = tx.send(Run::Panicked(with_joined_panic(payload_text(&*payload))));
                    }
                }
                return;
            }
            for _ in 0..runs {
                let _ = thread::take_joined_panic();
                let run = match std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| s.run_once())) {
                    Ok((o, g)) => Run::Done(o, g),
                    Err(payload) => Run::Panicked(with_joined_panic(payload_text(&*payload))),
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
