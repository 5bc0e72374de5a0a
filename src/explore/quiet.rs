//! Expected panics, captured instead of printed.
//!
//! Exploring a racy scenario panics on purpose (a deadlock, a data race, a
//! failed assertion in the scenario). While a run is under way a panic hook
//! captures panics raised on the exploring thread (and the hardware threads it
//! spawns) and lets every other thread's panic through to the hook that was
//! there before. When the last concurrent run ends, that hook is put back:
//! nothing is left changed. (shuttle installs a hook of its own on first use
//! and never removes it; installed inside our window, it goes when ours does.)

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

/// Captures expected panics; passes the rest to `previous`.
fn quiet_hook(previous: Arc<Hook>) -> Hook {
    Box::new(move |info| {
        if backend::quiet_panics() {
            crate::trace::freeze();
            let text = describe(info);
            LAST.with(|l| *l.borrow_mut() = Some(text));
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
