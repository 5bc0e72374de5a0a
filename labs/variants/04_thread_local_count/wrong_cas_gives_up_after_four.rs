// WRONG: the merge retries its compare_exchange at most 4 times, then drops the batch: a thread whose merge loses its race four times in a row (another thread merges between each of its tries) loses its counts.
//! Lab 04 — Counting privately, merging badly.

use std::cell::Cell;

use racelab::sync::atomic::{AtomicU64, Ordering::*};

racelab::thread_local! {
    /// Counts this thread has made and not merged yet.
    static PENDING: Cell<u64> = const { Cell::new(0) };
}

/// A total that threads count towards privately and merge into at the end.
#[derive(Debug)]
pub struct Counter {
    total: AtomicU64,
}

impl Counter {
    /// A counter at zero.
    pub fn new() -> Self {
        Counter {
            total: AtomicU64::new(0).named("total"),
        }
    }

    /// Counts one, in this thread's own storage.
    pub fn count(&self) {
        PENDING.set(PENDING.get() + 1);
    }

    /// Adds the counts this thread has made since its last `finish` to the
    /// shared total.
    pub fn finish(&self) {
        let mine = PENDING.take();
        let mut total = self.total.load(SeqCst);
        for _ in 0..4 {
            match self.total.compare_exchange(total, total + mine, SeqCst, SeqCst) {
                Ok(_) => return,
                Err(actual) => total = actual,
            }
        }
    }

    /// The total merged so far.
    pub fn get(&self) -> u64 {
        self.total.load(SeqCst)
    }
}
