// RIGHT: Once::call_once runs init once, and every call_once returns only after it has finished, so the value is there.

use racelab::sync::atomic::{AtomicU64, Ordering::Relaxed};
use racelab::sync::Once;

/// A value computed on first use.
pub struct Lazy {
    once: Once,
    value: AtomicU64,
}

impl Lazy {
    pub fn new() -> Self {
        Lazy {
            once: Once::new().named("once"),
            value: AtomicU64::new(0).named("value"),
        }
    }

    /// The value, computed by `init` if nobody has computed it yet.
    pub fn get(&self, init: impl FnOnce() -> u64) -> u64 {
        // Relaxed is enough: call_once orders the store before every return.
        self.once.call_once(|| self.value.store(init(), Relaxed));
        self.value.load(Relaxed)
    }
}
