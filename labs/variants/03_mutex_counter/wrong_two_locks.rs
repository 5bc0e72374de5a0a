// WRONG: increments from odd and even calls take two different locks, so two threads can hold "the" lock at once and overwrite each other.

use racelab::sync::atomic::{AtomicU64, AtomicUsize, Ordering::SeqCst};
use racelab::sync::Mutex;

/// A counter that many threads increment at once.
#[derive(Debug)]
pub struct Counter {
    value: AtomicU64,
    locks: [Mutex<()>; 2],
    calls: AtomicUsize,
}

impl Counter {
    /// A counter at zero.
    pub fn new() -> Self {
        Counter {
            value: AtomicU64::new(0).named("counter"),
            locks: [Mutex::new(()).named("lock 0"), Mutex::new(()).named("lock 1")],
            calls: AtomicUsize::new(0).named("calls"),
        }
    }

    /// Adds one.
    pub fn increment(&self) {
        // Less contention: spread the calls over two locks.
        let lock = &self.locks[self.calls.fetch_add(1, SeqCst) % 2];
        let _guard = lock.lock().unwrap();
        let seen = self.value.load(SeqCst);
        self.value.store(seen + 1, SeqCst);
    }

    /// The count so far.
    pub fn get(&self) -> u64 {
        self.value.load(SeqCst)
    }
}
