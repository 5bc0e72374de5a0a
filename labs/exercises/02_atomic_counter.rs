//! Lab 02 — A counter that loses increments.
//!
//! The lecture's section on the GIL and race conditions: threads that read a
//! shared value, change it and write it back can erase each other's work.
//! Here the shared value is one number, a hit counter that every thread bumps.
//! Each load and each store is atomic (`SeqCst`, even), and still the count
//! comes out short.
//!
//! Edit only this file. Check it with `racelab check 2`.

use racelab::sync::atomic::{AtomicU64, Ordering::SeqCst};

/// A counter that many threads increment at once.
#[derive(Debug)]
pub struct Counter {
    value: AtomicU64,
}

impl Counter {
    /// A counter at zero.
    pub fn new() -> Self {
        Counter {
            value: AtomicU64::new(0).named("counter"),
        }
    }

    /// Adds one.
    pub fn increment(&self) {
        // TODO: two threads can both load the same value here, and both store
        // that value plus one: two increments, yet the count goes up by one.
        let seen = self.value.load(SeqCst);
        self.value.store(seen + 1, SeqCst);
    }

    /// The count so far.
    pub fn get(&self) -> u64 {
        self.value.load(SeqCst)
    }
}
