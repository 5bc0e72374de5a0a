//! Fix 3: a compare-exchange loop — read, compute, and store only if nobody
//! stored in between; otherwise read again and retry.
//!
//! Lecture section *GIL*: the racy counter's load-then-store, made safe by
//! checking at store time that the value read is still there (optimistic
//! concurrency; the same idea fixes the shared document with versions).
//!
//! Cost: like `fetch_add` when uncontended; under contention failed
//! exchanges are retried, so the work grows with the number of threads
//! (`benches/counter.rs`, `cas_loop`). It is the general tool: any update
//! `f(old)`, not only `+ 1`.

use super::Counter;
use crate::sync::atomic::{AtomicU64, Ordering::Relaxed};

/// Load, then `compare_exchange` until it succeeds.
#[derive(Debug)]
pub struct CasLoop {
    value: AtomicU64,
}

impl Counter for CasLoop {
    fn new() -> Self {
        CasLoop {
            value: AtomicU64::new(0).named("counter"),
        }
    }

    fn increment(&self) {
        let mut seen = self.value.load(Relaxed);
        while let Err(actual) = self.value.compare_exchange(seen, seen + 1, Relaxed, Relaxed) {
            // Someone stored since we looked: start again from what is there.
            seen = actual;
        }
    }

    fn get(&self) -> u64 {
        self.value.load(Relaxed)
    }
}
