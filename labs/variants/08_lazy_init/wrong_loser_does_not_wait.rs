// WRONG: swap picks exactly one initialiser, but a thread that loses reads the value before the winner has stored it.

use racelab::sync::atomic::{AtomicBool, AtomicU64, Ordering::SeqCst};

/// A value computed on first use.
pub struct Lazy {
    started: AtomicBool,
    value: AtomicU64,
}

impl Lazy {
    pub fn new() -> Self {
        Lazy {
            started: AtomicBool::new(false).named("started"),
            value: AtomicU64::new(0).named("value"),
        }
    }

    /// The value, computed by `init` if nobody has computed it yet.
    pub fn get(&self, init: impl FnOnce() -> u64) -> u64 {
        if !self.started.swap(true, SeqCst) {
            self.value.store(init(), SeqCst);
        }
        self.value.load(SeqCst)
    }
}
