//! A one-line progress note on standard error, for work that may take more
//! than a moment: shown only on a terminal, with the seconds so far, and
//! erased when the work is done.

use std::io::{IsTerminal, Write};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::thread;
use std::time::{Duration, Instant};

/// Runs `work` while showing `label` (and the time spent, after a second).
pub(crate) fn with_progress<T>(label: &str, work: impl FnOnce() -> T) -> T {
    if !std::io::stderr().is_terminal() {
        return work();
    }
    let done = Arc::new(AtomicBool::new(false));
    let ticker = {
        let (done, label) = (Arc::clone(&done), label.to_owned());
        thread::spawn(move || {
            let start = Instant::now();
            while !done.load(Ordering::Relaxed) {
                let secs = start.elapsed().as_secs();
                let note = if secs >= 1 {
                    format!(" ({secs} s)")
                } else {
                    String::new()
                };
                eprint!("\r\x1b[K{label}…{note}");
                let _ = std::io::stderr().flush();
                thread::park_timeout(Duration::from_millis(250));
            }
            eprint!("\r\x1b[K");
            let _ = std::io::stderr().flush();
        })
    };
    let out = work();
    done.store(true, Ordering::Relaxed);
    ticker.thread().unpark();
    let _ = ticker.join();
    out
}
