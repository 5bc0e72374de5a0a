// RIGHT: the total is behind a mutex and each merge holds one guard across its read and its write.

use std::cell::Cell;

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
        *self.total.lock().unwrap() += mine;
    }

    /// The total merged so far.
    pub fn get(&self) -> u64 {
        *self.total.lock().unwrap()
    }
}
