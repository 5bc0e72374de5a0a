// WRONG: a compare_exchange retried with the fresh value at most 4 times, then the increment is silently dropped: a thread that loses its race four times in a row (another thread increments between each of its tries) loses its increment.
//! Lab 02 — A counter that loses increments.

use racelab::sync::atomic::{AtomicU64, Ordering::*};

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
        for _ in 0..4 {
            match self.value.compare_exchange(seen, seen + 1, SeqCst, SeqCst) {
                Ok(_) => return,
                Err(actual) => seen = actual,
            }
        }
    }

    /// The count so far.
    pub fn get(&self) -> u64 {
        self.value.load(SeqCst)
    }
}
