// WRONG: the merge takes the total's lock with try_lock, retried a few times, and gives up when the lock stays busy, so that thread's counts are lost.

use std::cell::Cell;

use racelab::sync::thread;
use racelab::sync::Mutex;

racelab::thread_local! {
    /// Counts this thread has made and not merged yet.
    static PENDING: Cell<u64> = const { Cell::new(0) };
}

/// A total that threads count towards privately and merge into.
#[derive(Debug)]
pub struct Counter {
    total: Mutex<u64>,
}

impl Counter {
    /// A counter at zero.
    pub fn new() -> Self {
        Counter {
            total: Mutex::new(0).named("total").traced(),
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
        // "Never block for long": three tries, then give up.
        for _ in 0..3 {
            if let Ok(mut total) = self.total.try_lock() {
                *total += mine;
                return;
            }
            thread::yield_now();
        }
    }

    /// The total merged so far.
    pub fn get(&self) -> u64 {
        *self.total.lock().unwrap()
    }
}
