// RIGHT: a compare_exchange on a state word elects one initialiser; the others spin until it publishes READY with Release.

use racelab::sync::atomic::{
    AtomicU64, AtomicU8,
    Ordering::{Acquire, Relaxed, Release},
};
use racelab::sync::hint;

const EMPTY: u8 = 0;
const RUNNING: u8 = 1;
const READY: u8 = 2;

/// A value computed on first use.
pub struct Lazy {
    state: AtomicU8,
    value: AtomicU64,
}

impl Lazy {
    pub fn new() -> Self {
        Lazy {
            state: AtomicU8::new(EMPTY).named("state"),
            value: AtomicU64::new(0).named("value"),
        }
    }

    /// The value, computed by `init` if nobody has computed it yet.
    pub fn get(&self, init: impl FnOnce() -> u64) -> u64 {
        if self.state.compare_exchange(EMPTY, RUNNING, Acquire, Acquire).is_ok() {
            self.value.store(init(), Relaxed);
            self.state.store(READY, Release);
        } else {
            while self.state.load(Acquire) != READY {
                hint::spin_loop();
            }
        }
        self.value.load(Relaxed)
    }
}
