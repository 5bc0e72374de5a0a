//! Lab 10 — reference solution: raise the flag with `Release`, check it with `Acquire`.

use racelab::sync::atomic::{AtomicBool, Ordering};
use racelab::sync::cell::UnsafeCell;

/// A value written once and published through a flag.
pub struct Mailbox {
    data: UnsafeCell<u64>,
    ready: AtomicBool,
}

// SAFETY: `data` is written only by `send`, before the flag is raised with
// `Release`, and read only by `receive`, after an `Acquire` load saw the
// flag up. The load then synchronises with the store: the write
// happens-before the read, so the two never race.
unsafe impl Sync for Mailbox {}

impl Mailbox {
    /// An empty mailbox.
    pub fn new() -> Self {
        Mailbox {
            data: UnsafeCell::new(0).named("data"),
            ready: AtomicBool::new(false).named("ready"),
        }
    }

    /// Writes the value, then raises the flag. Call once.
    pub fn send(&self, value: u64) {
        // SAFETY: only the one sender writes, and no reader reads before it
        // sees the flag (see the `Sync` impl).
        self.data.with_mut(|p| unsafe { *p = value });
        // Release: the write above happens-before any Acquire load that
        // sees `true`.
        self.ready.store(true, Ordering::Release);
    }

    /// The value, if the flag is up.
    pub fn receive(&self) -> Option<u64> {
        if self.ready.load(Ordering::Acquire) {
            // SAFETY: this Acquire load saw the Release store, so the one
            // write to `data` happens-before this read (see `Sync`).
            Some(self.data.with(|p| unsafe { *p }))
        } else {
            None
        }
    }
}
