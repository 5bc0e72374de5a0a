// WRONG: the retry loop never reloads the value, so once another thread has counted, this compare_exchange fails forever.

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
        while self.value.compare_exchange(seen, seen + 1, SeqCst, SeqCst).is_err() {}
    }

    /// The count so far.
    pub fn get(&self) -> u64 {
        self.value.load(SeqCst)
    }
}
