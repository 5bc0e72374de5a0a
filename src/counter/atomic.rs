//! Fix 2: `fetch_add`, one indivisible read-modify-write.
//!
//! Lecture section *GIL*: the race is the gap between reading and writing;
//! an atomic read-modify-write has no gap. `Relaxed` is enough: nothing else
//! is published through the counter, and every `fetch_add` on one location
//! sees the latest value in its modification order.
//!
//! Cost: no lock, but every increment takes the cache line exclusively, so
//! with threads on several cores the line bounces between them and two
//! threads run slower than one (`benches/counter.rs`, `fetch_add`).

use super::Counter;
use crate::sync::atomic::{AtomicU64, Ordering::Relaxed};

/// `AtomicU64::fetch_add`.
#[derive(Debug)]
pub struct FetchAdd {
    value: AtomicU64,
}

impl Counter for FetchAdd {
    fn new() -> Self {
        FetchAdd {
            value: AtomicU64::new(0).named("counter"),
        }
    }

    fn increment(&self) {
        self.value.fetch_add(1, Relaxed);
    }

    fn get(&self) -> u64 {
        self.value.load(Relaxed)
    }
}
