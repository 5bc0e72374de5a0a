// WRONG: the lock is taken after the check, and the check is not repeated under it, so a second thread initialises again.

use racelab::sync::atomic::{AtomicBool, AtomicU64, Ordering::SeqCst};
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
        if !self.ready.load(SeqCst) {
            let _guard = self.lock.lock().unwrap_or_else(|p| p.into_inner());
            self.value.store(init(), SeqCst);
            self.ready.store(true, SeqCst);
        }
        self.value.load(SeqCst)
    }
}
