// WRONG: double-checked locking with Relaxed atomics: seeing `ready` does not make the value written before it visible.

use racelab::sync::atomic::{AtomicBool, AtomicU64, Ordering::Relaxed};
use racelab::sync::Mutex;

/// A value computed on first use.
pub struct Lazy {
    ready: AtomicBool,
    value: AtomicU64,
    lock: Mutex<()>,
}

impl Lazy {
    pub fn new() -> Self {
        Lazy {
            ready: AtomicBool::new(false).named("ready"),
            value: AtomicU64::new(0).named("value"),
            lock: Mutex::new(()).named("lock"),
        }
    }

    /// The value, computed by `init` if nobody has computed it yet.
    pub fn get(&self, init: impl FnOnce() -> u64) -> u64 {
        if !self.ready.load(Relaxed) {
            let _guard = self.lock.lock().unwrap_or_else(|p| p.into_inner());
            if !self.ready.load(Relaxed) {
                self.value.store(init(), Relaxed);
                self.ready.store(true, Relaxed);
            }
        }
        self.value.load(Relaxed)
    }
}
