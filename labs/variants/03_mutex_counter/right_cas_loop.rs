// RIGHT: a compare_exchange loop on an atomic retries from the value it found until its write lands.

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
        let mut seen = self.value.load(SeqCst);
        loop {
            match self.value.compare_exchange_weak(seen, seen + 1, SeqCst, SeqCst) {
                Ok(_) => return,
                Err(now) => seen = now,
            }
        }
    }

    /// The count so far.
    pub fn get(&self) -> u64 {
        self.value.load(SeqCst)
    }
}
