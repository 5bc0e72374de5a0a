// WRONG: try_lock skips the increment whenever another thread holds the lock, so increments made under contention are lost.

use racelab::sync::Mutex;

/// A counter that many threads increment at once.
#[derive(Debug)]
pub struct Counter {
    value: Mutex<u64>,
}

impl Counter {
    /// A counter at zero.
    pub fn new() -> Self {
        Counter {
            value: Mutex::new(0).named("counter").traced(),
        }
    }

    /// Adds one.
    pub fn increment(&self) {
        // "Never block": if the lock is busy, carry on.
        if let Ok(mut value) = self.value.try_lock() {
            *value += 1;
        }
    }

    /// The count so far.
    pub fn get(&self) -> u64 {
        *self.value.lock().unwrap()
    }
}
