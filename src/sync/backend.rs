//! Which backend the facade builds on, chosen at run time.
//!
//! The explorer sets the *current backend* for the OS thread it runs on
//! before it starts a scenario. loom and shuttle run every model thread on
//! that same OS thread, so everything the scenario constructs, on any model
//! thread, sees the same backend. Hardware threads spawned through the facade
//! inherit it from their parent.

use std::cell::Cell;
use std::fmt;

/// One of the three places a scenario can run.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Backend {
    /// Real OS threads and the real `std` primitives.
    Hardware,
    /// shuttle: randomized (PCT) schedules; every atomic behaves as `SeqCst`.
    Shuttle,
    /// loom: exhaustive exploration (within a preemption bound) of the C11 memory model.
    Loom,
}

impl Backend {
    /// All backends, in the order reports show them.
    pub const ALL: [Backend; 3] = [Backend::Loom, Backend::Shuttle, Backend::Hardware];

    /// The backend's name as the CLI spells it.
    pub fn name(self) -> &'static str {
        match self {
            Backend::Hardware => "hardware",
            Backend::Shuttle => "shuttle",
            Backend::Loom => "loom",
        }
    }

    /// Whether this build has the backend (shuttle and loom are cargo features).
    pub fn is_available(self) -> bool {
        match self {
            Backend::Hardware => true,
            Backend::Shuttle => cfg!(feature = "shuttle"),
            Backend::Loom => cfg!(feature = "loom"),
        }
    }

    /// Whether the backend is a model checker (and so records traces).
    pub fn is_model(self) -> bool {
        self != Backend::Hardware
    }
}

impl fmt::Display for Backend {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

std::thread_local! {
    static CURRENT: Cell<Backend> = const { Cell::new(Backend::Hardware) };
}

/// The backend that facade constructors on this thread build on.
pub fn current() -> Backend {
    CURRENT.with(Cell::get)
}

/// Makes `backend` current on this OS thread until the guard drops.
///
/// # Panics
/// If the backend is not compiled into this build: the explorer checks
/// [`Backend::is_available`] first.
pub(crate) fn enter(backend: Backend) -> BackendGuard {
    assert!(backend.is_available(), "the {backend} backend is not in this build");
    let previous = CURRENT.with(|c| c.replace(backend));
    BackendGuard { previous }
}

/// Restores the previous backend when dropped.
#[must_use]
pub(crate) struct BackendGuard {
    previous: Backend,
}

impl Drop for BackendGuard {
    fn drop(&mut self) {
        CURRENT.with(|c| c.set(self.previous));
    }
}

/// Calls `$body` with `$x` bound to the backend's value, whichever variant
/// `$value` is: the three backends share method names, so one expression
/// serves all of them.
macro_rules! dispatch {
    ($value:expr, $inner:ident, $x:ident => $body:expr) => {
        match $value {
            $inner::Std($x) => $body,
            #[cfg(feature = "shuttle")]
            $inner::Shuttle($x) => $body,
            #[cfg(feature = "loom")]
            $inner::Loom($x) => $body,
        }
    };
}
pub(crate) use dispatch;

/// Builds a value on the current backend: `$std`, `$shuttle` and `$loom` are
/// paths to the three backends' constructors (or types with `new`).
macro_rules! construct {
    ($inner:ident, $std:expr, $shuttle:expr, $loom:expr) => {
        match $crate::sync::backend::current() {
            $crate::sync::Backend::Hardware => $inner::Std($std),
            #[cfg(feature = "shuttle")]
            $crate::sync::Backend::Shuttle => $inner::Shuttle($shuttle),
            #[cfg(feature = "loom")]
            $crate::sync::Backend::Loom => $inner::Loom($loom),
            #[allow(unreachable_patterns)]
            other => unreachable!("backend {other} is not in this build"),
        }
    };
}
pub(crate) use construct;

std::thread_local! {
    static QUIET_PANICS: Cell<bool> = const { Cell::new(false) };
}

/// Whether a panic on this thread is expected (the explorer is running a
/// scenario here) and should be captured rather than printed.
pub(crate) fn quiet_panics() -> bool {
    QUIET_PANICS.with(Cell::get)
}

/// Sets [`quiet_panics`] for this thread; returns the previous setting.
pub(crate) fn set_quiet_panics(quiet: bool) -> bool {
    QUIET_PANICS.with(|c| c.replace(quiet))
}
