//! `OnceLock` and `Once` with the std API, on whichever backend is current.
//!
//! loom and shuttle have no `OnceLock` (loom has no `Once` either), and
//! std's, used under a model, is invisible to it: a thread that waits in
//! std's `OnceLock` while the model runs another thread on the same OS
//! thread waits for ever. So both are built here from the facade's own
//! [`Mutex`], [`Condvar`] and [`UnsafeCell`], and the models see every step.
//!
//! The state (`empty`, `running`, `ready`) lives under the mutex. The thread
//! that finds it `empty` marks it `running`, lets go of the lock, runs the
//! initialiser, writes the value, and marks it `ready` under the lock again;
//! threads that arrive meanwhile wait on the condvar. The lock orders the
//! value's one write before every read (loom checks it), and the value is
//! never written again, so `&T` may outlive the lock. An initialiser that
//! panics leaves the cell `empty` for the next caller, as std's does.
//!
//! Cost: every `get` takes the lock (std reads one atomic). Models care
//! about the steps, not the nanoseconds.

use super::cell::UnsafeCell;
use super::{Condvar, Mutex};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum State {
    Empty,
    Running,
    Ready,
}

/// `std::sync::OnceLock` on the current backend: a value written once, by
/// the first caller of [`OnceLock::get_or_init`] (or [`OnceLock::set`]).
pub struct OnceLock<T> {
    state: Mutex<State>,
    ready: Condvar,
    value: UnsafeCell<Option<T>>,
}

// SAFETY: the value is written once, by the one thread that moved the state
// from `Empty` to `Running`, before it sets `Ready` under the mutex; it is
// read only after `Ready` was seen under the same mutex, and never written
// again (only `&mut self` methods touch it after that). So every access is
// ordered by the mutex, and sharing `&OnceLock<T>` shares `&T` (`T: Sync`)
// and may hand the initialiser's `T` to other threads (`T: Send`).
unsafe impl<T: Send + Sync> Sync for OnceLock<T> {}

impl<T> OnceLock<T> {
    /// An empty cell on the current backend, named by where it is created.
    #[track_caller]
    pub fn new() -> Self {
        OnceLock {
            state: Mutex::new(State::Empty),
            ready: Condvar::new(),
            value: UnsafeCell::new(None).internal(),
        }
    }

    /// Gives the cell the name timelines show.
    pub fn named(self, name: impl AsRef<str>) -> Self {
        let name = name.as_ref();
        OnceLock {
            state: self.state.named(name),
            ready: self.ready.named(name),
            value: self.value.named(name),
        }
    }

    fn state(&self) -> super::MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// The value, once some thread has set it.
    pub fn get(&self) -> Option<&T> {
        if *self.state() != State::Ready {
            return None;
        }
        // SAFETY: `Ready` was seen under the mutex, so the one write of the
        // value happens-before this read, and nothing writes it again while
        // `&self` lives.
        self.value.with(|p| unsafe { (*p).as_ref() })
    }

    /// Sets the value if nobody has; otherwise gives `value` back.
    pub fn set(&self, value: T) -> Result<(), T> {
        let mut value = Some(value);
        self.get_or_init(|| value.take().expect("taken once"));
        match value {
            None => Ok(()),
            Some(v) => Err(v),
        }
    }

    /// The value, initialised by `init` if no thread has done it yet.
    /// Threads that arrive while another initialises wait for it.
    pub fn get_or_init(&self, init: impl FnOnce() -> T) -> &T {
        let mut init = Some(init);
        let mut state = self.state();
        loop {
            match *state {
                State::Ready => break,
                State::Running => state = self.ready.wait(state).unwrap_or_else(|p| p.into_inner()),
                State::Empty => {
                    *state = State::Running;
                    drop(state);
                    let mut running = Running {
                        cell: self,
                        done: false,
                    };
                    let value = (init.take().expect("only the thread that finds `Empty` initialises"))();
                    // SAFETY: this thread moved the state to `Running`, so it
                    // is the only writer, and no reader looks before `Ready`.
                    self.value.with_mut(|p| unsafe { *p = Some(value) });
                    running.done = true;
                    drop(running);
                    state = self.state();
                }
            }
        }
        drop(state);
        // SAFETY: as in `get`: `Ready` was seen under the mutex.
        let value = self.value.with(|p| unsafe { (*p).as_ref() });
        value.expect("`Ready` means the value is set")
    }

    /// The value, if set; the cell is consumed.
    pub fn into_inner(self) -> Option<T> {
        self.value.into_inner()
    }
}

/// Ends the `Running` state: `Ready` once the value is written, `Empty`
/// again if the initialiser panicked; wakes every waiter either way.
struct Running<'a, T> {
    cell: &'a OnceLock<T>,
    done: bool,
}

impl<T> Drop for Running<'_, T> {
    fn drop(&mut self) {
        // Under a model, a panic ends the execution: the model is tearing
        // it down, and must not be asked for another step.
        if !self.done && std::thread::panicking() && super::current_backend().is_model() {
            return;
        }
        *self.cell.state() = if self.done { State::Ready } else { State::Empty };
        self.cell.ready.notify_all();
    }
}

impl<T> Default for OnceLock<T> {
    #[track_caller]
    fn default() -> Self {
        Self::new()
    }
}

impl<T: std::fmt::Debug> std::fmt::Debug for OnceLock<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_tuple("OnceLock").field(&self.get()).finish()
    }
}

/// `std::sync::Once` on the current backend: runs one closure once.
#[derive(Debug, Default)]
pub struct Once(OnceLock<()>);

impl Once {
    /// A `Once` that has not run, named by where it is created.
    #[track_caller]
    pub fn new() -> Self {
        Once(OnceLock::new())
    }

    /// Gives it the name timelines show.
    pub fn named(self, name: impl AsRef<str>) -> Self {
        let name = name.as_ref();
        Once(self.0.named(name))
    }

    /// Runs `f` if no call has run one yet; a call made while another runs
    /// waits for it.
    pub fn call_once(&self, f: impl FnOnce()) {
        self.0.get_or_init(f);
    }

    /// Whether a call has run to completion.
    pub fn is_completed(&self) -> bool {
        self.0.get().is_some()
    }
}
