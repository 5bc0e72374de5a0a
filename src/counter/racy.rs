//! The racy counter: load, add one, store. Two threads that both load 0
//! both store 1, and one increment is lost.
//!
//! Lecture section *GIL*: "if two users edit the same document online and
//! the second saves, they overwrite the first one's work" — here the
//! document is one number.
//!
//! Even `SeqCst` does not help: every load and store is atomic and totally
//! ordered; what breaks is the gap *between* them, where another thread's
//! store lands unseen. Costs nothing, and is wrong.

use super::Counter;
use crate::sync::atomic::{AtomicU64, Ordering::SeqCst};

/// Read-modify-write in two steps.
#[derive(Debug)]
pub struct Racy {
    value: AtomicU64,
}

impl Counter for Racy {
    fn new() -> Self {
        Racy {
            value: AtomicU64::new(0).named("counter"),
        }
    }

    fn increment(&self) {
        let seen = self.value.load(SeqCst);
        // Another thread may store here; this store then erases it.
        self.value.store(seen + 1, SeqCst);
    }

    fn get(&self) -> u64 {
        self.value.load(SeqCst)
    }
}
