// RIGHT: one write guard of an RwLock covers the whole read-modify-write; get shares a read lock.

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
        let mut value = self.value.write().unwrap();
        *value += 1;
    }

    /// The count so far.
    pub fn get(&self) -> u64 {
        *self.value.read().unwrap()
    }
}
