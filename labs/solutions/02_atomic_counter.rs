//! Lab 02 — reference solution: `fetch_add`, one indivisible read-modify-write.

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
        // Read, add and write in one step: no other store can land in between.
        // `Relaxed` is enough: the counter publishes no other data, and every
        // `fetch_add` works on the latest value (the ordering was never the bug).
        self.value.fetch_add(1, Relaxed);
    }

    /// The count so far.
    pub fn get(&self) -> u64 {
        self.value.load(Relaxed)
    }
}
