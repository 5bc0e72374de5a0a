//! A once-cell built on the facade: the value is initialised exactly once,
//! by the first thread to get there; everyone else waits for it, then reads
//! it without a lock.
//!
//! A small `std::sync::OnceLock`: a state word moves `EMPTY -> RUNNING ->
//! READY`. The thread whose compare-exchange takes `EMPTY -> RUNNING` runs
//! the initialiser, writes the value, and publishes it with a `Release`
//! store of `READY`; a thread that loads `READY` with `Acquire` sees the
//! value. loom checks exactly that: read the value after a `Relaxed` load of
//! the state instead, and it reports a data race.
//!
//! Cost: one `Acquire` load per `get` once initialised; threads that arrive
//! during initialisation spin (yielding) until it is done.

use crate::sync::atomic::{AtomicUsize, Ordering};
use crate::sync::cell::UnsafeCell;
use crate::sync::hint;

const EMPTY: usize = 0;
const RUNNING: usize = 1;
const READY: usize = 2;

/// A value set once, by the first caller of [`OnceCell::get_or_init`].
#[derive(Debug)]
pub struct OnceCell<T> {
    state: AtomicUsize,
    value: UnsafeCell<Option<T>>,
}

// SAFETY: the value is written only by the one thread that moved the state
// from EMPTY to RUNNING, before its Release store of READY; it is read only
// after an Acquire load of READY, and never written again. So all accesses
// are ordered by happens-before, and sharing `&OnceCell<T>` shares `&T`
// (hence `T: Sync`) and may move the initialiser's `T` across threads
// (hence `T: Send`).
unsafe impl<T: Send + Sync> Sync for OnceCell<T> {}

impl<T> OnceCell<T> {
    /// An empty cell on the current backend.
    #[track_caller]
    pub fn new() -> Self {
        OnceCell {
            state: AtomicUsize::new(EMPTY).named("once.state"),
            value: UnsafeCell::new(None).named("once.value"),
        }
    }

    /// The value, initialising it with `init` if no thread has yet.
    pub fn get_or_init(&self, init: impl FnOnce() -> T) -> &T {
        let mut init = Some(init);
        loop {
            match self
                .state
                .compare_exchange(EMPTY, RUNNING, Ordering::Acquire, Ordering::Acquire)
            {
                Ok(_) => {
                    let value = (init.take().expect("only the winner initialises"))();
                    // SAFETY: this thread won EMPTY -> RUNNING, so it is the
                    // only one that writes, and nobody reads before READY.
                    self.value.with_mut(|p| unsafe { *p = Some(value) });
                    self.state.store(READY, Ordering::Release);
                }
                Err(READY) => break,
                Err(_) => hint::spin_loop(),
            }
        }
        // SAFETY: READY was loaded with Acquire, so the winner's write
        // happens-before this read, and nothing writes the value again; the
        // reference lives as long as `&self`.
        let value = self.value.with(|p| unsafe { (*p).as_ref() });
        value.expect("READY means the value is set")
    }
}

impl<T> Default for OnceCell<T> {
    #[track_caller]
    fn default() -> Self {
        Self::new()
    }
}
