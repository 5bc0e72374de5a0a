// WRONG: the mutex is created inside increment, so every call locks its own lock and nothing is excluded.

use racelab::sync::atomic::{AtomicU64, Ordering::SeqCst};
use racelab::sync::Mutex;

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
        let lock = Mutex::new(()).named("lock");
        let _guard = lock.lock().unwrap();
        let seen = self.value.load(SeqCst);
        self.value.store(seen + 1, SeqCst);
    }

    /// The count so far.
    pub fn get(&self) -> u64 {
        self.value.load(SeqCst)
    }
}
