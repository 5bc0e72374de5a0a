// RIGHT: the value is itself an atomic (Relaxed), and the Release flag store read by an Acquire load makes the reader see it.
use racelab::sync::atomic::{AtomicBool, AtomicU64, Ordering};

/// A value written once and published through a flag.
pub struct Mailbox {
    data: AtomicU64,
    ready: AtomicBool,
}

impl Mailbox {
    /// An empty mailbox.
    pub fn new() -> Self {
        Mailbox {
            data: AtomicU64::new(0).named("data"),
            ready: AtomicBool::new(false).named("ready"),
        }
    }

    /// Writes the value, then raises the flag. Call once.
    pub fn send(&self, value: u64) {
        self.data.store(value, Ordering::Relaxed);
        self.ready.store(true, Ordering::Release);
    }

    /// The value, if the flag is up.
    pub fn receive(&self) -> Option<u64> {
        if self.ready.load(Ordering::Acquire) {
            Some(self.data.load(Ordering::Relaxed))
        } else {
            None
        }
    }
}
