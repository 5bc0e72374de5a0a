// RIGHT: fetch_update applies the closure to the current value and retries until its write lands.

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
        let _ = self.value.fetch_update(SeqCst, SeqCst, |v| Some(v + 1));
    }

    /// The count so far.
    pub fn get(&self) -> u64 {
        self.value.load(SeqCst)
    }
}
