//! Fix 1: a mutex around the whole read-modify-write.
//!
//! Lecture section *GIL*: "make the second user wait until the first has
//! finished with the document" — that is what a lock does.
//!
//! Cost: a lock and an unlock per increment; under contention threads queue
//! (and may sleep in the kernel), so two threads are slower than one. See
//! `benches/counter.rs` (`mutex_std`, `mutex_parking_lot`).

use super::Counter;
use crate::sync::Mutex;

/// `Mutex<u64>`: one thread at a time reads and writes.
#[derive(Debug)]
pub struct Locked {
    value: Mutex<u64>,
}

impl Counter for Locked {
    fn new() -> Self {
        Locked {
            value: Mutex::new(0).named("counter"),
        }
    }

    fn increment(&self) {
        let mut value = self.value.lock().unwrap_or_else(|p| p.into_inner());
        *value += 1;
    }

    fn get(&self) -> u64 {
        *self.value.lock().unwrap_or_else(|p| p.into_inner())
    }
}
