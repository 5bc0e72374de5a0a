// RIGHT: no lock at all: fetch_add reads, adds and writes in one indivisible step.

use racelab::sync::atomic::{AtomicU64, Ordering::Relaxed};

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
        self.value.fetch_add(1, Relaxed);
    }

    /// The count so far.
    pub fn get(&self) -> u64 {
        self.value.load(Relaxed)
    }
}
