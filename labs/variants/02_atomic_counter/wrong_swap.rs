// WRONG: swap is atomic, but the value it writes was computed from an earlier load, so it can erase other increments.

use racelab::sync::atomic::{AtomicU64, Ordering::SeqCst};

/// A counter that many threads increment at once.
#[derive(Debug)]
pub struct Counter {
    value: AtomicU64,
}

impl Counter {
    /// A counter at zero.
    pub fn new() -> Self {
        Counter {
            value: AtomicU64::new(0).named("counter"),
        }
    }

    /// Adds one.
    pub fn increment(&self) {
        self.value.swap(self.value.load(SeqCst) + 1, SeqCst);
    }

    /// The count so far.
    pub fn get(&self) -> u64 {
        self.value.load(SeqCst)
    }
}
