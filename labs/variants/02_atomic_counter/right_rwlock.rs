// RIGHT: increments take the write lock for the whole read-modify-write; get only needs a read lock.

use racelab::sync::RwLock;

/// A counter that many threads increment at once.
#[derive(Debug)]
pub struct Counter {
    value: RwLock<u64>,
}

impl Counter {
    /// A counter at zero.
    pub fn new() -> Self {
        Counter {
            value: RwLock::new(0).named("counter"),
        }
    }

    /// Adds one.
    pub fn increment(&self) {
        *self.value.write().unwrap() += 1;
    }

    /// The count so far.
    pub fn get(&self) -> u64 {
        *self.value.read().unwrap()
    }
}
