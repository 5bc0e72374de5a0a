//! Expected failures, captured instead of printed.
//!
//! Exploring a racy scenario panics on purpose (a deadlock, a data race, a
//! failed assertion in the scenario). While a run is under way a panic hook
//! captures panics raised on the exploring thread (and the hardware threads it
//! spawns) and lets every other thread's panic through to the hook that was
//! there before. When the last concurrent run ends, that hook is put back:
//! nothing is left changed. (shuttle installs a hook of its own on first use
//! and never removes it; installed inside our window, it goes when ours does.)
//!
//! shuttle also writes to standard error itself (`eprintln!`: "Test
//! deadlocked, and ...", "test panicked in task ..."), which no hook sees.
//! While a shuttle run is under way, [`QuietStderr`] holds back the whole
//! process's standard error (on unix, a `gag` redirect to a temporary file);
//! when the last concurrent run ends, what other code wrote meanwhile is
//! written out, without shuttle's lines. The cost: another thread's writes
//! to standard error come out late, and are lost if the process aborts
//! while a shuttle run is under way. libtest's capture of a test's output is
//! separate, and unaffected.

use std::cell::RefCell;
use std::panic::{self, PanicHookInfo};
use std::sync::{Arc, Mutex};

use crate::sync::backend;

type Hook = Box<dyn Fn(&PanicHookInfo<'_>) + Sync + Send + 'static>;

struct Installed {
    runs: usize,
    previous: Option<Arc<Hook>>,
}

static INSTALLED: Mutex<Installed> = Mutex::new(Installed {
    runs: 0,
    previous: None,
});

std::thread_local! {
    static LAST: RefCell<Option<String>> = const { RefCell::new(None) };
}

/// While alive, panics on this thread are captured, not printed.
pub(crate) struct QuietPanics {
    was_quiet: bool,
}

impl QuietPanics {
    pub(crate) fn enter() -> Self {
        let mut installed = INSTALLED.lock().unwrap_or_else(|p| p.into_inner());
        if installed.runs == 0 {
            let previous: Arc<Hook> = Arc::new(panic::take_hook());
            installed.previous = Some(Arc::clone(&previous));
            panic::set_hook(quiet_hook(Arc::clone(&previous)));
            #[cfg(feature = "shuttle")]
            retire_shuttle_hook(&previous);
        }
        installed.runs += 1;
        QuietPanics {
            was_quiet: backend::set_quiet_panics(true),
        }
    }
}

impl Drop for QuietPanics {
    fn drop(&mut self) {
        backend::set_quiet_panics(self.was_quiet);
        let mut installed = INSTALLED.lock().unwrap_or_else(|p| p.into_inner());
        installed.runs -= 1;
        if installed.runs == 0 && !std::thread::panicking() {
            // Dropping the current hook drops ours (and any hook that wrapped it).
            drop(panic::take_hook());
            if let Some(previous) = installed.previous.take() {
                match Arc::try_unwrap(previous) {
                    Ok(hook) => panic::set_hook(hook),
                    Err(shared) => panic::set_hook(Box::new(move |info| shared(info))),
                }
            }
        }
    }
}

/// Set when, during an exploration, a thread the model did not start (a
/// `std::thread::spawn` inside the scenario) panicked inside loom or
/// shuttle: it touched a modelled object from outside the model.
static FOREIGN_THREAD: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);

/// Whether a thread the model did not start used a modelled object since
/// the last call (see [`FOREIGN_THREAD`]).
pub(crate) fn take_foreign_thread() -> bool {
    FOREIGN_THREAD.swap(false, std::sync::atomic::Ordering::Relaxed)
}

/// The failure message for a scenario whose own thread used the model
/// from outside it.
pub(crate) const FOREIGN_THREAD_MESSAGE: &str =
    "a thread the model did not start (std::thread::spawn?) used a racelab::sync object made inside the model, and \
     the model cannot schedule it: start the scenario's threads with racelab::sync::thread::spawn";

/// Captures expected panics; passes the rest to `previous`.
fn quiet_hook(previous: Arc<Hook>) -> Hook {
    Box::new(move |info| {
        if backend::quiet_panics() {
            crate::trace::freeze();
            let text = describe(info);
            LAST.with(|l| *l.borrow_mut() = Some(text));
        } else if !backend::current().is_model()
            && info
                .location()
                .is_some_and(|l| l.file().contains("shuttle") || l.file().contains("loom"))
        {
            FOREIGN_THREAD.store(true, std::sync::atomic::Ordering::Relaxed);
        } else {
            previous(info);
        }
    })
}

/// shuttle installs its own hook (it prints "Task failed, serializing
/// schedule" before passing a panic on) the first time it runs, once per
/// process. Let it do so now, inside our window, on an empty test, and
/// take it out again: after this, shuttle never installs it, and expected
/// panics stay quiet.
#[cfg(feature = "shuttle")]
fn retire_shuttle_hook(previous: &Arc<Hook>) {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| {
        shuttle::check_random(|| {}, 1);
        drop(panic::take_hook());
        panic::set_hook(quiet_hook(Arc::clone(previous)));
    });
}

/// While alive (on any thread), the process's standard error is held back;
/// when the last one drops, it is written out without shuttle's own lines.
/// If standard error is redirected already (the CLI gags it while it
/// explores), this does nothing.
pub(crate) struct QuietStderr(());

#[cfg(unix)]
struct Held {
    users: usize,
    redirect: Option<gag::BufferRedirect>,
}

#[cfg(unix)]
static HELD: Mutex<Held> = Mutex::new(Held {
    users: 0,
    redirect: None,
});

impl QuietStderr {
    pub(crate) fn enter() -> Self {
        #[cfg(unix)]
        {
            let mut held = HELD.lock().unwrap_or_else(|p| p.into_inner());
            if held.users == 0 {
                held.redirect = gag::BufferRedirect::stderr().ok();
            }
            held.users += 1;
        }
        QuietStderr(())
    }
}

#[cfg(unix)]
impl Drop for QuietStderr {
    fn drop(&mut self) {
        use std::io::{Read, Write};
        let mut held = HELD.lock().unwrap_or_else(|p| p.into_inner());
        held.users -= 1;
        if held.users > 0 {
            return;
        }
        let Some(redirect) = held.redirect.take() else {
            return;
        };
        // Ends the redirect; the buffer reads the file from its start.
        let mut buffer = redirect.into_inner();
        let mut written = Vec::new();
        let _ = buffer.read_to_end(&mut written);
        let kept = without_shuttle_lines(&written);
        if !kept.is_empty() {
            let _ = std::io::stderr().write_all(&kept);
        }
    }
}

/// What shuttle writes to standard error by itself, line by line.
#[cfg(unix)]
const SHUTTLE_LINES: [&str; 6] = [
    "Test deadlocked, and ",
    "test panicked in task '",
    "Task failed, serializing schedule",
    "test panicked while dropping the tasks that were unfinished",
    "test panicked in a task that was still unwinding",
    " more panics while dropping the tasks that were unfinished",
];

/// `written` without the lines shuttle wrote.
#[cfg(unix)]
fn without_shuttle_lines(written: &[u8]) -> Vec<u8> {
    // shuttle's report of a thread outside the model ("`ExecutionState::
    // try_with` failed") is followed by a backtrace, one frame a line.
    let mut in_backtrace = false;
    written
        .split_inclusive(|b| *b == b'\n')
        .filter(|line| {
            let line = String::from_utf8_lossy(line);
            if line.contains("`ExecutionState::try_with` failed") {
                in_backtrace = true;
                return false;
            }
            if in_backtrace {
                if line.starts_with("Backtrace for") || line.starts_with("    {") || line.starts_with(']') {
                    return false;
                }
                in_backtrace = false;
            }
            !SHUTTLE_LINES.iter().any(|s| line.contains(s))
        })
        .flatten()
        .copied()
        .collect()
}

/// The message and place of a panic, as one line.
fn describe(info: &PanicHookInfo<'_>) -> String {
    let msg = payload_text(info.payload());
    match info.location() {
        Some(loc) => format!("{msg} (at {}:{})", loc.file(), loc.line()),
        None => msg,
    }
}

/// The text of a panic payload.
pub(crate) fn payload_text(payload: &(dyn std::any::Any + Send)) -> String {
    if let Some(s) = payload.downcast_ref::<&str>() {
        (*s).to_owned()
    } else if let Some(s) = payload.downcast_ref::<String>() {
        s.clone()
    } else {
        "panic with a non-text payload".to_owned()
    }
}

/// The last panic captured on this thread, if any.
pub(crate) fn take_last() -> Option<String> {
    LAST.with(|l| l.borrow_mut().take())
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;

    #[test]
    fn only_shuttles_own_lines_are_dropped_from_held_back_stderr() {
        let written = b"mine 1\nTest deadlocked, and SHUTTLE_CAPTURE_BACKTRACE is not set. If ...\n\
                        test panicked in task 'main-thread'\nmine 2\n3 more panics while dropping the tasks that \
                        were unfinished at the end of the execution were ignored\nmine 3";
        assert_eq!(without_shuttle_lines(written), b"mine 1\nmine 2\nmine 3");
    }
}
