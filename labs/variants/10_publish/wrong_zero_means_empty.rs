// WRONG: keeps the value in one atomic and takes 0 for "nothing sent", so a sent 0 is never received.
use racelab::sync::atomic::{AtomicU64, Ordering};

/// A value written once and published through a flag.
pub struct Mailbox {
    /// The value; 0 while nothing was sent.
    data: AtomicU64,
}

impl Mailbox {
    /// An empty mailbox.
    pub fn new() -> Self {
        Mailbox {
            data: AtomicU64::new(0).named("data"),
        }
    }

    /// Writes the value, then raises the flag. Call once.
    pub fn send(&self, value: u64) {
        self.data.store(value, Ordering::Release);
    }

    /// The value, if the flag is up.
    pub fn receive(&self) -> Option<u64> {
        match self.data.load(Ordering::Acquire) {
            0 => None,
            v => Some(v),
        }
    }
}
