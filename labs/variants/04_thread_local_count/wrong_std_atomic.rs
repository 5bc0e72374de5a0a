// WRONG: still a load then a store, only on std's AtomicU64, which the model checkers cannot see (the vacuity check and the source scan reject it).

use std::cell::Cell;
use std::sync::atomic::{AtomicU64, Ordering::SeqCst};

racelab::thread_local! {
    /// Counts this thread has made and not merged yet.
    static PENDING: Cell<u64> = const { Cell::new(0) };
}

/// A total that threads count towards privately and merge into.
#[derive(Debug)]
pub struct Counter {
    total: AtomicU64,
}

impl Counter {
    /// A counter at zero.
    pub fn new() -> Self {
        Counter {
            total: AtomicU64::new(0),
        }
    }

    /// Counts one, in this thread's own storage.
    pub fn count(&self) {
        PENDING.set(PENDING.get() + 1);
    }

    /// Adds the counts this thread has made since its last `finish`.
    pub fn finish(&self) {
        let mine = PENDING.take();
        let total = self.total.load(SeqCst);
        self.total.store(total + mine, SeqCst);
    }

    /// The total merged so far.
    pub fn get(&self) -> u64 {
        self.total.load(SeqCst)
    }
}
