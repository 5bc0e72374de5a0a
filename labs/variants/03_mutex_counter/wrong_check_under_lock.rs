// WRONG: the write is under the lock but only happens if the value is still what was read earlier, with no retry, so a lost race drops the increment.

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
        let seen = self.value.get_cloned().unwrap();
        let mut value = self.value.lock().unwrap();
        // "Don't overwrite someone else's increment."
        if *value == seen {
            *value = seen + 1;
        }
    }

    /// The count so far.
    pub fn get(&self) -> u64 {
        *self.value.lock().unwrap()
    }
}
