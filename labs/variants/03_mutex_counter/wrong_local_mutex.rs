// WRONG: each call makes its own mutex around a copy of the count, so no two calls ever exclude each other.

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
        let value = Mutex::new(self.value.load(SeqCst)).named("copy");
        let mut guard = value.lock().unwrap();
        *guard += 1;
        self.value.store(*guard, SeqCst);
    }

    /// The count so far.
    pub fn get(&self) -> u64 {
        self.value.load(SeqCst)
    }
}
