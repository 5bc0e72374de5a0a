// RIGHT: a separate Mutex<()> is held across the whole load-then-store, so only one increment at a time touches the count.

use racelab::sync::atomic::{AtomicU64, Ordering::SeqCst};
use racelab::sync::Mutex;

/// A counter that many threads increment at once.
#[derive(Debug)]
pub struct Counter {
    value: AtomicU64,
    lock: Mutex<()>,
}

impl Counter {
    /// A counter at zero.
    pub fn new() -> Self {
        Counter {
            value: AtomicU64::new(0).named("counter"),
            lock: Mutex::new(()).named("lock"),
        }
    }

    /// Adds one.
    pub fn increment(&self) {
        let _guard = self.lock.lock().unwrap();
        let seen = self.value.load(SeqCst);
        self.value.store(seen + 1, SeqCst);
    }

    /// The count so far.
    pub fn get(&self) -> u64 {
        self.value.load(SeqCst)
    }
}
