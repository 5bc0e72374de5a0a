//! A metrics "high-water mark": each request records its queue depth, and
//! the gauge keeps the largest seen, with a load, a compare and a store on an
//! `AtomicU64` ("it's atomic, so it's thread-safe").
//!
//! The bug: load and store are two steps. Alice (depth 5) loads 0; Bob
//! (depth 9) loads 0 and stores 9; Alice, deciding on her stale 0, stores 5
//! over Bob's 9. The gauge ends at 5 although 9 was recorded: a lost update
//! (a check-then-act on the old maximum).
//!
//! Teacher marks (written before looking at racelab's marks):
//! 1. alice's `store high_water <- 5`: **lost update**, it overwrites bob's
//!    `store high_water <- 9`, which came after alice's `load high_water ->
//!    0` it was computed from. (A stale-check mark, "acts on the check at
//!    step N", on the same step is also right.)
//!    Lenient: a mark on bob's store saying it is overwritten / lost.
//!
//! Not spurious if present and true: a stale-read mark on alice's load, if
//! the timeline shows bob's store before it (Relaxed allows that).
//! Spurious: data race, deadlock, ABA; marks on main's final load or joins.

use racelab::explore::{Explorer, Scenario};
use racelab::sync::atomic::{AtomicU64, Ordering::Relaxed};
use racelab::sync::{thread, Arc};

use crate::common::{expect_bug, expect_holds};

struct Gauge {
    high_water: AtomicU64,
}

impl Gauge {
    fn record(&self, depth: u64) {
        let cur = self.high_water.load(Relaxed);
        if depth > cur {
            self.high_water.store(depth, Relaxed);
        }
    }

    /// The fix: one atomic read-modify-write (a CAS loop in `fetch_update`).
    fn record_fixed(&self, depth: u64) {
        let _ = self
            .high_water
            .fetch_update(Relaxed, Relaxed, |cur| (depth > cur).then_some(depth));
    }
}

fn scenario(name: &str, fixed: bool) -> Scenario<u64> {
    Scenario::new(name, move || {
        let g = Arc::new(Gauge {
            high_water: AtomicU64::new(0).named("high_water"),
        });
        let handles: Vec<_> = [("alice", 5u64), ("bob", 9u64)]
            .into_iter()
            .map(|(name, depth)| {
                let g = Arc::clone(&g);
                thread::Builder::new()
                    .name(name)
                    .spawn(move || if fixed { g.record_fixed(depth) } else { g.record(depth) })
                    .unwrap()
            })
            .collect();
        for h in handles {
            h.join().unwrap();
        }
        g.high_water.load(Relaxed)
    })
    .expect_only(9)
}

#[test]
fn loom_finds_lost_max() {
    expect_bug(&scenario("b08::high_water", false), &Explorer::loom());
}

#[test]
fn shuttle_finds_lost_max() {
    expect_bug(&scenario("b08::high_water", false), &Explorer::shuttle());
}

#[test]
fn loom_fix_holds() {
    expect_holds(&scenario("b08::high_water_fetch_update", true), &Explorer::loom());
}

#[test]
fn shuttle_fix_holds() {
    expect_holds(&scenario("b08::high_water_fetch_update", true), &Explorer::shuttle());
}
