// RIGHT: the count lives behind a mutex whose one guard covers the whole read-modify-write.

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
        *self.value.lock().unwrap() += 1;
    }

    /// The count so far.
    pub fn get(&self) -> u64 {
        *self.value.lock().unwrap()
    }
}
