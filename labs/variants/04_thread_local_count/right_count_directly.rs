// RIGHT: no private count at all: every count is one fetch_add on the shared total, so there is nothing left to merge.

use racelab::sync::atomic::{AtomicU64, Ordering::Relaxed};

/// A total that threads count towards (here directly, with no private part).
#[derive(Debug)]
pub struct Counter {
    total: AtomicU64,
}

impl Counter {
    /// A counter at zero.
    pub fn new() -> Self {
        Counter {
            total: AtomicU64::new(0).named("total"),
        }
    }

    /// Counts one, straight into the shared total, in one indivisible step.
    pub fn count(&self) {
        self.total.fetch_add(1, Relaxed);
    }

    /// Nothing to merge: every count is in the total already.
    pub fn finish(&self) {}

    /// The total so far.
    pub fn get(&self) -> u64 {
        self.total.load(Relaxed)
    }
}
