//! Lab 10 — the flag arrived before the data.
//!
//! Threads share the process's memory (the lecture's section on
//! `threading`), so one thread can hand a value to another without a lock:
//! write the value, then raise a flag; the reader checks the flag and, if it
//! is up, reads the value. Here is that mailbox. The check has a sender put
//! 42 (and then 0) in it while a reader looks once.
//!
//! Edit only this file. Check it with `racelab check 10`.

use racelab::sync::atomic::{AtomicBool, Ordering};
use racelab::sync::cell::UnsafeCell;

/// A value written once and published through a flag.
pub struct Mailbox {
    data: UnsafeCell<u64>,
    ready: AtomicBool,
}

// SAFETY: `data` is written only by `send`, before the flag is raised, and
// read only by `receive`, after the flag is seen up. That is sound only if
// raising the flag and seeing it up order the write before the read, which
// the `Relaxed` orderings below do NOT: as written, this is unsound — a data
// race on `data`.
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
        // sees the flag (whether that suffices: see the `Sync` impl).
        self.data.with_mut(|p| unsafe { *p = value });
        // TODO: the reader can see this flag up and still read `data` as if
        // the write above had not happened yet: nothing ties the two
        // together. (The load in `receive` has the same problem.)
        self.ready.store(true, Ordering::Relaxed);
    }

    /// The value, if the flag is up.
    pub fn receive(&self) -> Option<u64> {
        if self.ready.load(Ordering::Relaxed) {
            // SAFETY: the flag is up, so the one write is done; whether it is
            // also visible here depends on the orderings (see `Sync`).
            Some(self.data.with(|p| unsafe { *p }))
        } else {
            None
        }
    }
}
