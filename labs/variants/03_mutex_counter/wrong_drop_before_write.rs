// WRONG: the guard is dropped to keep the critical section short, and the write takes the lock again, so another thread can write in between.

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
        let guard = self.value.lock().unwrap();
        let next = *guard + 1;
        drop(guard);
        *self.value.lock().unwrap() = next;
    }

    /// The count so far.
    pub fn get(&self) -> u64 {
        *self.value.lock().unwrap()
    }
}
