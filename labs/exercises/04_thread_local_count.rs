//! Lab 04 — Counting privately, merging badly.
//!
//! The lecture's section on the GIL: thread safety can come from giving each
//! thread its own copy of local storage, so that threads' data never collide
//! (`threading.local()` in Python, `thread_local!` in Rust). Here each thread
//! counts the events it handles in its own storage, and adds its count to the
//! shared total when it has finished a batch. The total still comes out short.
//!
//! Edit only this file. Check it with `racelab check 4`.

use std::cell::Cell;

use racelab::sync::atomic::{AtomicU64, Ordering::SeqCst};

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
        let mine = PENDING.take();
        // TODO: two threads that finish at the same time can both load the
        // same total, and the second store erases the first thread's counts.
        let total = self.total.load(SeqCst);
        self.total.store(total + mine, SeqCst);
    }

    /// The total merged so far (complete once every thread has called
    /// `finish` after its last count).
    pub fn get(&self) -> u64 {
        self.total.load(SeqCst)
    }
}
