//! Lab 03 — A lock that locks too little.
//!
//! The lecture's section on the GIL and race conditions: to avoid the race,
//! make the second thread wait until the first has finished. This counter
//! does put its number behind a `Mutex`, and every access takes the lock,
//! yet increments still go missing when two threads count at once.
//!
//! Edit only this file. Check it with `racelab check 3`.

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
        // Locks, copies the value out, unlocks (the guard is dropped at the `;`).
        let seen = *self.value.lock().unwrap();
        // TODO: here, between the two locks, nobody holds the lock: another
        // thread can lock, read the same value and store it plus one; the
        // write below then erases that increment.
        // Locks again, replaces the value, unlocks (a `store` in timelines).
        self.value.set(seen + 1).unwrap();
    }

    /// The count so far.
    pub fn get(&self) -> u64 {
        *self.value.lock().unwrap()
    }
}
