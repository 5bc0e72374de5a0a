//! Lab 04 — reference solution: merge with one `fetch_add`, an indivisible read-modify-write.

use std::cell::Cell;

use racelab::sync::atomic::{AtomicU64, Ordering::Relaxed};

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

    /// Counts one, in this thread's own storage: no other thread can touch it.
    pub fn count(&self) {
        PENDING.set(PENDING.get() + 1);
    }

    /// Adds the counts this thread has made since its last `finish` to the
    /// shared total. A thread calls it whenever it has finished a batch of
    /// counting, and at least once, when it is done.
    pub fn finish(&self) {
        // Read, add and write the total in one step: no other merge can land
        // in between. `Relaxed` is enough: the total publishes no other data.
        self.total.fetch_add(PENDING.take(), Relaxed);
    }

    /// The total merged so far (complete once every thread has called
    /// `finish` after its last count).
    pub fn get(&self) -> u64 {
        self.total.load(Relaxed)
    }
}
