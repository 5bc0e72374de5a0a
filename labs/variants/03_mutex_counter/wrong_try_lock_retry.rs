// WRONG: try_lock is retried a few times and then the increment is given up, so a thread that finds the lock busy too often loses it.

use racelab::sync::thread;
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
        // "Never block for long": three tries, then give up.
        for _ in 0..3 {
            if let Ok(mut value) = self.value.try_lock() {
                *value += 1;
                return;
            }
            thread::yield_now();
        }
    }

    /// The count so far.
    pub fn get(&self) -> u64 {
        *self.value.lock().unwrap()
    }
}
