//! A one-line progress note while work runs, for work that may take more
//! than a moment: on a terminal, one line with the seconds so far, erased
//! when the work is done ([`with_progress`], [`with_status`]); off a
//! terminal, [`with_status`] writes plain lines to standard error instead,
//! one when the work starts and one every 15 s, so a log shows what racelab
//! is waiting for.
//!
//! While the work runs, standard error is silenced: shuttle prints notes of
//! its own there (such as "Test deadlocked, and SHUTTLE_CAPTURE_BACKTRACE is
//! not set") about failures racelab captures and reports itself. The note is
//! written to the terminal directly, so it still shows.

use std::fs::OpenOptions;
use std::io::{IsTerminal, Write};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::thread;
use std::time::{Duration, Instant};

/// Runs `work` while showing `label` (and the time spent, after a second).
/// A panic in `work` is reported once standard error is back, then goes on.
pub(crate) fn with_progress<T>(label: &str, work: impl FnOnce() -> T) -> T {
    match std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| silenced(label, work))) {
        Ok(out) => out,
        Err(payload) => {
            let text = payload
                .downcast_ref::<&str>()
                .map(|s| (*s).to_owned())
                .or_else(|| payload.downcast_ref::<String>().cloned())
                .unwrap_or_else(|| "(no message)".to_owned());
            eprintln!("racelab panicked while {label}: {text}");
            std::panic::resume_unwind(payload)
        }
    }
}

fn silenced<T>(label: &str, work: impl FnOnce() -> T) -> T {
    let terminal = terminal();
    #[cfg(unix)]
    let _silenced = gag::Gag::stderr().ok();
    match terminal {
        // Off a terminal, nothing: standard error is silenced.
        None => work(),
        Some(tty) => with_ticker(label, Some(tty), false, work),
    }
}

/// The terminal, if standard error is one (progress notes go there).
fn terminal() -> Option<std::fs::File> {
    std::io::stderr()
        .is_terminal()
        .then(|| OpenOptions::new().write(true).open("/dev/tty").ok())
        .flatten()
}

/// Runs `work` while showing `label`: on `tty`, one line with the seconds so
/// far, erased at the end; without one, if `lines`, a line on standard
/// error every 15 s.
fn with_ticker<T>(label: &str, tty: Option<std::fs::File>, lines: bool, work: impl FnOnce() -> T) -> T {
    let done = Arc::new(AtomicBool::new(false));
    let ticker = {
        let (done, label) = (Arc::clone(&done), label.to_owned());
        thread::spawn(move || {
            let start = Instant::now();
            let mut tty = tty;
            let mut last_line = 0;
            while !done.load(Ordering::Relaxed) {
                let secs = start.elapsed().as_secs();
                match tty.as_mut() {
                    Some(tty) => {
                        let note = if secs >= 1 {
                            format!(" ({secs} s)")
                        } else {
                            String::new()
                        };
                        let _ = write!(tty, "\r\x1b[K{label}…{note}");
                        let _ = tty.flush();
                    }
                    None if lines && secs >= last_line + 15 => {
                        last_line = secs;
                        eprintln!("  still {label} ({secs} s)");
                    }
                    None => {}
                }
                thread::park_timeout(Duration::from_millis(250));
            }
            if let Some(tty) = tty.as_mut() {
                let _ = write!(tty, "\r\x1b[K");
                let _ = tty.flush();
            }
        })
    };
    let out = work();
    done.store(true, Ordering::Relaxed);
    ticker.thread().unpark();
    let _ = ticker.join();
    out
}

/// Runs `work` while telling the user what it waits for: on a terminal, a
/// line with the seconds so far (erased at the end); otherwise a line on
/// standard error when the work starts and another every 15 s. Unlike
/// [`with_progress`], standard error is not silenced (lab checks run in
/// child processes, whose output is captured).
pub(crate) fn with_status<T>(label: &str, work: impl FnOnce() -> T) -> T {
    let tty = terminal();
    if tty.is_none() {
        eprintln!("{label}…");
    }
    with_ticker(label, tty, true, work)
}
