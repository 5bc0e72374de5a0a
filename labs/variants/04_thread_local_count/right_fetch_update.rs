// RIGHT: fetch_update adds this thread's counts to whatever the total is now, retrying until the write lands.

use std::cell::Cell;

use racelab::sync::atomic::{AtomicU64, Ordering::SeqCst};

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
            total: AtomicU64::new(0).named("total"),
        }
    }

    /// Counts one, in this thread's own storage: no other thread can touch it.
    pub fn count(&self) {
        PENDING.set(PENDING.get() + 1);
    }

    /// Adds the counts this thread has made since its last `finish` to the
    /// shared total.
    pub fn finish(&self) {
        let mine = PENDING.take();
        let _ = self.total.fetch_update(SeqCst, SeqCst, |total| Some(total + mine));
    }

    /// The total merged so far.
    pub fn get(&self) -> u64 {
        self.total.load(SeqCst)
    }
}
