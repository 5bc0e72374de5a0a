// WRONG: the value is read under a read lock and written under a separate write lock, so two readers can both write back the same value.

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
        // Readers do not block each other; only the write is exclusive.
        let seen = *self.value.read().unwrap();
        *self.value.write().unwrap() = seen + 1;
    }

    /// The count so far.
    pub fn get(&self) -> u64 {
        *self.value.read().unwrap()
    }
}
