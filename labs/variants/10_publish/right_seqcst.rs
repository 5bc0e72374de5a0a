// RIGHT: SeqCst store and load include Release and Acquire, so the write happens-before the read.
use racelab::sync::atomic::{AtomicBool, Ordering};
use racelab::sync::cell::UnsafeCell;

/// A value written once and published through a flag.
pub struct Mailbox {
    data: UnsafeCell<u64>,
    ready: AtomicBool,
}

// SAFETY: the write of `data` happens-before any read of it: the read
// comes after seeing the flag up, through the synchronisation named in the
// first line of this file.
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
        // SAFETY: the one sender writes before raising the flag.
        self.data.with_mut(|p| unsafe { *p = value });
        self.ready.store(true, Ordering::SeqCst);
    }

    /// The value, if the flag is up.
    pub fn receive(&self) -> Option<u64> {
        if self.ready.load(Ordering::SeqCst) {
            // SAFETY: the flag is up, so the write is done.
            Some(self.data.with(|p| unsafe { *p }))
        } else {
            None
        }
    }
}
