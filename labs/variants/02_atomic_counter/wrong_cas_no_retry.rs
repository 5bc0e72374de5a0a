// WRONG: a compare_exchange that fails is not retried, so the increment it carried is dropped.

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
        let seen = self.value.load(SeqCst);
        // Fails if another thread stored in between: then this one is lost.
        let _ = self.value.compare_exchange(seen, seen + 1, SeqCst, SeqCst);
    }

    /// The count so far.
    pub fn get(&self) -> u64 {
        self.value.load(SeqCst)
    }
}
