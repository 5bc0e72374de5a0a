//! Lab 03 — reference solution: one guard held across the whole read-modify-write.

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
            // `traced`: timelines show the value each lock finds and leaves.
            value: Mutex::new(0).named("counter").traced(),
        }
    }

    /// Adds one.
    pub fn increment(&self) {
        // Read and write under the same guard: no other thread can take the
        // lock in between. The lock is released when `value` is dropped.
        let mut value = self.value.lock().unwrap();
        *value += 1;
    }

    /// The count so far.
    pub fn get(&self) -> u64 {
        *self.value.lock().unwrap()
    }
}
