//! Threads with the std API, on whichever backend is current: `spawn`,
//! `Builder` (names show in timelines), `JoinHandle`, `yield_now`, `sleep`,
//! `current`, and a [`thread_local!`](crate::thread_local) whose keys work
//! under every backend.
//!
//! Gaps, filled here: loom has no `sleep` (time is not modelled), so under
//! the model backends `sleep` is a yield; no model backend has scoped threads,
//! so there is no `scope`: share with [`Arc`](super::Arc) instead.

use std::time::Duration;

use super::backend::{self, Backend};
use crate::trace::{self, Op, Target};

pub use std::thread::available_parallelism;
pub use std::thread::Result;

/// The name the current thread shows in timelines: its own name, or `main`
/// for the thread a scenario started on.
pub fn current_name() -> String {
    fn or_main(name: Option<&str>) -> String {
        match name {
            // shuttle calls the first thread `main-thread`.
            None | Some("main-thread") => "main".to_owned(),
            Some(name) => name.to_owned(),
        }
    }
    match backend::current() {
        Backend::Hardware => or_main(std::thread::current().name()),
        #[cfg(feature = "shuttle")]
        Backend::Shuttle => {
            // An async task has no thread name; `task::spawn` names it.
            let task = super::task::shuttle_task_name();
            or_main(shuttle::thread::current().name().or(task.as_deref()))
        }
        #[cfg(feature = "loom")]
        Backend::Loom => or_main(loom::thread::current().name()),
        #[allow(unreachable_patterns)]
        other => unreachable!("backend {other} is not in this build"),
    }
}

/// Whether the caller runs inside a model execution's thread (always true
/// on hardware). shuttle answers `false` while it tears an execution down.
pub(crate) fn in_model_thread() -> bool {
    match backend::current() {
        #[cfg(feature = "shuttle")]
        Backend::Shuttle => shuttle::current::try_get_current_task().is_some(),
        _ => true,
    }
}

std::thread_local! {
    /// The panic of the last real thread this thread joined that had
    /// panicked: `join().unwrap()` replaces its message with `Any { .. }`.
    static JOINED_PANIC: std::cell::RefCell<Option<String>> = const { std::cell::RefCell::new(None) };
}

fn note_joined_panic(name: &str, payload: &(dyn std::any::Any + Send)) {
    let text = if let Some(s) = payload.downcast_ref::<&str>() {
        (*s).to_owned()
    } else if let Some(s) = payload.downcast_ref::<String>() {
        s.clone()
    } else {
        "a panic with a non-text payload".to_owned()
    };
    let who = if name.is_empty() {
        "a thread".to_owned()
    } else {
        format!("thread '{name}'")
    };
    JOINED_PANIC.with(|p| *p.borrow_mut() = Some(format!("{who} panicked: {text}")));
}

/// The panic of the last real thread this thread joined and found panicked
/// (on hardware), taken: the explorer's hardware backend reports it.
pub(crate) fn take_joined_panic() -> Option<String> {
    JOINED_PANIC.with(|p| p.borrow_mut().take())
}

/// A handle to a running thread; [`JoinHandle::join`] waits for it.
pub struct JoinHandle<T> {
    inner: Inner<T>,
    name: String,
}

enum Inner<T> {
    Std(std::thread::JoinHandle<T>),
    #[cfg(feature = "shuttle")]
    Shuttle(shuttle::thread::JoinHandle<T>),
    #[cfg(feature = "loom")]
    Loom(loom::thread::JoinHandle<T>),
}

impl<T> JoinHandle<T> {
    /// Waits for the thread to finish; `Err` carries its panic.
    pub fn join(self) -> Result<T> {
        let model = !matches!(self.inner, Inner::Std(_));
        if model {
            trace::waiting(Op::Join, &self.name);
        }
        let r = super::backend::dispatch!(self.inner, Inner, h => h.join());
        if let (false, Err(payload)) = (model, &r) {
            note_joined_panic(&self.name, &**payload);
        }
        if model {
            trace::record(Op::Join, Target::None, Some(self.name));
            if r.is_ok() && std::mem::size_of::<T>() != 0 {
                trace::handed_over_by_join();
            }
        }
        r
    }

    /// The thread's name as timelines show it.
    pub fn name(&self) -> &str {
        &self.name
    }
}

impl<T> std::fmt::Debug for JoinHandle<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("JoinHandle")
            .field("name", &self.name)
            .finish_non_exhaustive()
    }
}

/// Thread factory: set a name, then spawn.
#[derive(Debug, Default)]
pub struct Builder {
    name: Option<String>,
}

impl Builder {
    /// A builder with no name set.
    pub fn new() -> Self {
        Builder::default()
    }

    /// Names the thread (timelines show it as the thread's column).
    pub fn name(mut self, name: impl Into<String>) -> Self {
        self.name = Some(name.into());
        self
    }

    /// Spawns the thread on the current backend.
    pub fn spawn<F, T>(self, f: F) -> std::io::Result<JoinHandle<T>>
    where
        F: FnOnce() -> T + Send + 'static,
        T: Send + 'static,
    {
        let backend = backend::current();
        // Model threads are always named, so timelines can tell them apart.
        let name = match (self.name, backend.is_model()) {
            (Some(name), _) => Some(name),
            (None, true) => Some(trace::next_thread_name()),
            (None, false) => None,
        };
        let shown = name.clone().unwrap_or_default();
        if backend.is_model() {
            trace::record(Op::Spawn, Target::None, Some(shown.clone()));
        }
        let inner = match backend {
            Backend::Hardware => {
                let mut b = std::thread::Builder::new();
                if let Some(name) = name {
                    b = b.name(name);
                }
                // A hardware thread inherits whether its panics are expected.
                let quiet = backend::quiet_panics();
                Inner::Std(b.spawn(move || {
                    backend::set_quiet_panics(quiet);
                    f()
                })?)
            }
            #[cfg(feature = "shuttle")]
            Backend::Shuttle => {
                let mut b = shuttle::thread::Builder::new();
                if let Some(name) = name {
                    b = b.name(name);
                }
                Inner::Shuttle(b.spawn(f)?)
            }
            #[cfg(feature = "loom")]
            Backend::Loom => {
                let mut b = loom::thread::Builder::new();
                if let Some(name) = name {
                    b = b.name(name);
                }
                Inner::Loom(b.spawn(f)?)
            }
            #[allow(unreachable_patterns)]
            other => unreachable!("backend {other} is not in this build"),
        };
        Ok(JoinHandle { inner, name: shown })
    }
}

/// Spawns an unnamed thread (model backends name it `t1`, `t2`, ...).
///
/// # Panics
/// If the OS cannot start a thread, as `std::thread::spawn` does.
pub fn spawn<F, T>(f: F) -> JoinHandle<T>
where
    F: FnOnce() -> T + Send + 'static,
    T: Send + 'static,
{
    Builder::new().spawn(f).expect("failed to spawn thread")
}

/// Offers the processor to another thread (a scheduling point under the
/// model backends).
pub fn yield_now() {
    crate::trace::yielded();
    match backend::current() {
        Backend::Hardware => std::thread::yield_now(),
        #[cfg(feature = "shuttle")]
        Backend::Shuttle => shuttle::thread::yield_now(),
        #[cfg(feature = "loom")]
        // Every other yield only, as `hint::spin_loop` (see
        // `trace::yield_turn`).
        Backend::Loom => {
            if crate::trace::yield_turn() {
                loom::thread::yield_now()
            }
        }
        #[allow(unreachable_patterns)]
        other => unreachable!("backend {other} is not in this build"),
    }
}

/// Sleeps on hardware; under the model backends, where time is not
/// modelled, it is a [`yield_now`].
pub fn sleep(duration: Duration) {
    match backend::current() {
        Backend::Hardware => std::thread::sleep(duration),
        _ => yield_now(),
    }
}

/// A thread-local value under every backend; declare with
/// [`racelab::thread_local!`](crate::thread_local).
pub struct LocalKey<T: 'static> {
    #[doc(hidden)]
    pub std: &'static std::thread::LocalKey<T>,
    #[doc(hidden)]
    pub shuttle: ShuttleKey<T>,
    #[doc(hidden)]
    pub loom: LoomKey<T>,
}

#[cfg(feature = "shuttle")]
#[doc(hidden)]
pub type ShuttleKey<T> = &'static shuttle::thread::LocalKey<T>;
#[cfg(not(feature = "shuttle"))]
#[doc(hidden)]
pub type ShuttleKey<T> = std::marker::PhantomData<fn() -> T>;
#[cfg(feature = "loom")]
#[doc(hidden)]
pub type LoomKey<T> = &'static loom::thread::LocalKey<T>;
#[cfg(not(feature = "loom"))]
#[doc(hidden)]
pub type LoomKey<T> = std::marker::PhantomData<fn() -> T>;

impl<T: 'static> LocalKey<T> {
    /// Calls `f` with this thread's value, creating it on first use.
    pub fn with<F, R>(&'static self, f: F) -> R
    where
        F: FnOnce(&T) -> R,
    {
        match backend::current() {
            Backend::Hardware => self.std.with(f),
            #[cfg(feature = "shuttle")]
            Backend::Shuttle => self.shuttle.with(f),
            #[cfg(feature = "loom")]
            Backend::Loom => self.loom.with(f),
            #[allow(unreachable_patterns)]
            other => unreachable!("backend {other} is not in this build"),
        }
    }
}

impl<T: Copy + 'static> LocalKey<std::cell::Cell<T>> {
    /// This thread's value.
    pub fn get(&'static self) -> T {
        self.with(std::cell::Cell::get)
    }

    /// Sets this thread's value.
    pub fn set(&'static self, value: T) {
        self.with(|c| c.set(value));
    }
}

impl<T: Default + 'static> LocalKey<std::cell::Cell<T>> {
    /// Takes this thread's value, leaving the default.
    pub fn take(&'static self) -> T {
        self.with(std::cell::Cell::take)
    }
}

impl<T: 'static> std::fmt::Debug for LocalKey<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("LocalKey { .. }")
    }
}

/// Declares thread-local statics that work under every backend, with the
/// syntax of `std::thread_local!`:
///
/// ```
/// use std::cell::Cell;
/// racelab::thread_local! {
///     static PENDING: Cell<u64> = Cell::new(0);
/// }
/// PENDING.set(PENDING.get() + 1);
/// assert_eq!(PENDING.take(), 1);
/// ```
#[macro_export]
macro_rules! thread_local {
    () => {};
    ($(#[$attr:meta])* $vis:vis static $name:ident: $t:ty = const { $init:expr }; $($rest:tt)*) => {
        $crate::__racelab_thread_local!($(#[$attr])* $vis $name, $t, $init);
        $crate::thread_local!($($rest)*);
    };
    ($(#[$attr:meta])* $vis:vis static $name:ident: $t:ty = const { $init:expr }) => {
        $crate::__racelab_thread_local!($(#[$attr])* $vis $name, $t, $init);
    };
    ($(#[$attr:meta])* $vis:vis static $name:ident: $t:ty = $init:expr; $($rest:tt)*) => {
        $crate::__racelab_thread_local!($(#[$attr])* $vis $name, $t, $init);
        $crate::thread_local!($($rest)*);
    };
    ($(#[$attr:meta])* $vis:vis static $name:ident: $t:ty = $init:expr) => {
        $crate::__racelab_thread_local!($(#[$attr])* $vis $name, $t, $init);
    };
}

#[doc(hidden)]
#[macro_export]
macro_rules! __racelab_thread_local {
    ($(#[$attr:meta])* $vis:vis $name:ident, $t:ty, $init:expr) => {
        $(#[$attr])* $vis static $name: $crate::sync::thread::LocalKey<$t> =
            $crate::sync::thread::LocalKey {
                std: {
                    ::std::thread_local!(static KEY: $t = $init);
                    &KEY
                },
                shuttle: $crate::__racelab_shuttle_key!($t, $init),
                loom: $crate::__racelab_loom_key!($t, $init),
            };
    };
}

#[cfg(feature = "shuttle")]
#[doc(hidden)]
#[macro_export]
macro_rules! __racelab_shuttle_key {
    ($t:ty, $init:expr) => {{
        static KEY: $crate::__private::shuttle::thread::LocalKey<$t> = $crate::__private::shuttle::thread::LocalKey {
            init: || $init,
            _p: ::std::marker::PhantomData,
        };
        &KEY
    }};
}

#[cfg(not(feature = "shuttle"))]
#[doc(hidden)]
#[macro_export]
macro_rules! __racelab_shuttle_key {
    ($t:ty, $init:expr) => {
        ::std::marker::PhantomData
    };
}

#[cfg(feature = "loom")]
#[doc(hidden)]
#[macro_export]
macro_rules! __racelab_loom_key {
    ($t:ty, $init:expr) => {{
        static KEY: $crate::__private::loom::thread::LocalKey<$t> = $crate::__private::loom::thread::LocalKey {
            init: || $init,
            _p: ::std::marker::PhantomData,
        };
        &KEY
    }};
}

#[cfg(not(feature = "loom"))]
#[doc(hidden)]
#[macro_export]
macro_rules! __racelab_loom_key {
    ($t:ty, $init:expr) => {
        ::std::marker::PhantomData
    };
}
