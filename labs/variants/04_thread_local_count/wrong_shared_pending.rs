// WRONG: the pending count is moved into the struct, shared by all threads, and reset with a store, so counts made between the load and the store are lost.

use racelab::sync::atomic::{AtomicU64, Ordering::SeqCst};

/// A total that threads count towards and merge into.
#[derive(Debug)]
pub struct Counter {
    pending: AtomicU64,
    total: AtomicU64,
}

impl Counter {
    /// A counter at zero.
    pub fn new() -> Self {
        Counter {
            pending: AtomicU64::new(0).named("pending"),
            total: AtomicU64::new(0).named("total"),
        }
    }

    /// Counts one, in the shared pending count.
    pub fn count(&self) {
        self.pending.fetch_add(1, SeqCst);
    }

    /// Moves the pending counts to the total.
    pub fn finish(&self) {
        let mine = self.pending.load(SeqCst);
        self.total.fetch_add(mine, SeqCst);
        self.pending.store(0, SeqCst);
    }

    /// The total merged so far.
    pub fn get(&self) -> u64 {
        self.total.load(SeqCst)
    }
}
