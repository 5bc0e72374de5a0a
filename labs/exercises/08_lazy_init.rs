//! Lab 08 — Initialised twice.
//!
//! Check, then act (the lecture's section on the GIL and race conditions):
//! "if nobody has opened the connection yet, open it". Opening it is slow
//! and must happen once — two connections, or a config file read twice and
//! maybe differently, is a bug. `Lazy` runs `init` on first use and hands
//! every later caller the value it produced.
//!
//! Edit only this file. Check it with `racelab check 8`.

use racelab::sync::atomic::{AtomicBool, AtomicU64, Ordering::SeqCst};

/// A value computed on first use.
pub struct Lazy {
    ready: AtomicBool,
    value: AtomicU64,
}

impl Lazy {
    pub fn new() -> Self {
        Lazy {
            ready: AtomicBool::new(false).named("ready"),
            value: AtomicU64::new(0).named("value"),
        }
    }

    /// The value, computed by `init` if nobody has computed it yet.
    pub fn get(&self, init: impl FnOnce() -> u64) -> u64 {
        if !self.ready.load(SeqCst) {
            // TODO: two threads can both find `ready` false, and both run
            // `init`. Only one of them may.
            self.value.store(init(), SeqCst);
            self.ready.store(true, SeqCst);
        }
        self.value.load(SeqCst)
    }
}
