//! Fix 4: one counter per thread (a shard), each on its own cache line;
//! reading adds them up.
//!
//! Lecture section *GIL* (thread safety by giving each thread its own
//! copy): threads that never write the same location cannot lose each
//! other's writes. Each shard is still an atomic, so a thread that lands on
//! a busy shard is correct, only slower.
//!
//! Why padding: shards packed side by side share a 64-byte cache line, and
//! cores writing "different" counters still fight over that line (false
//! sharing). [`CachePadded`] gives each shard its own line (128 bytes on
//! x86-64, where the prefetcher pulls lines in pairs).
//!
//! Cost: `SHARDS` × 128 bytes per counter; `get` reads every shard and is
//! exact only once the writers are done. Scales with cores
//! (`benches/counter.rs`, `sharded`).

use std::cell::Cell;

use crossbeam_utils::CachePadded;

use super::Counter;
use crate::sync::atomic::{AtomicU64, AtomicUsize, Ordering::Relaxed};

/// How many shards a counter has; threads beyond that share them.
pub const SHARDS: usize = 8;

crate::thread_local! {
    /// Which shard this thread writes, once it has picked one.
    static SHARD: Cell<Option<usize>> = const { Cell::new(None) };
}

/// One padded `AtomicU64` per thread.
#[derive(Debug)]
pub struct Sharded {
    shards: Vec<CachePadded<AtomicU64>>,
    next: AtomicUsize,
}

impl Sharded {
    fn my_shard(&self) -> usize {
        let index = SHARD.get().unwrap_or_else(|| {
            let picked = self.next.fetch_add(1, Relaxed);
            SHARD.set(Some(picked));
            picked
        });
        index % self.shards.len()
    }
}

impl Counter for Sharded {
    fn new() -> Self {
        Sharded {
            shards: (0..SHARDS)
                .map(|_| CachePadded::new(AtomicU64::new(0).named("shard")))
                .collect(),
            next: AtomicUsize::new(0).named("next_shard"),
        }
    }

    fn increment(&self) {
        self.shards[self.my_shard()].fetch_add(1, Relaxed);
    }

    fn get(&self) -> u64 {
        self.shards.iter().map(|s| s.load(Relaxed)).sum()
    }
}
