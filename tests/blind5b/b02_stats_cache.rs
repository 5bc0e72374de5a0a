//! # b02: a cache whose hit counter loses hits
//!
//! A small read-mostly cache keeps one entry (its value and how often it was
//! read) behind an `RwLock`. `get` reads the entry and its hit count under
//! the *read* lock, drops it, then takes the *write* lock to store
//! `hits + 1`, computed from the copy made under the read lock. Two readers
//! can both copy `hits = 0` and both store 1: one hit is lost (a lost update
//! across a lock upgrade done by hand).
//!
//! ## Teacher marks (written before looking at racelab's marks)
//! Schedule: alice `read entry -> {hits: 0}`, bob `read entry -> {hits: 0}`,
//! alice's write lock stores `hits: 1`, then bob's write lock stores
//! `hits: 1`.
//! 1. Bob's write (the unlock of his write lock that leaves `hits: 1`, or the
//!    write-lock line if that is where the store shows): kind `lost_update`,
//!    "overwrites step N (alice's update is lost)", where N is alice's
//!    write. Other end (lenient): a mark on alice's write saying it is the one
//!    lost, or on bob's read-lock line saying his copy went stale.
//!
//! Spurious: any mark on the read-lock/read-unlock lines of alice claiming a
//! fault; a `data_race` (the lock orders every access); a `deadlock`;
//! `stale_read` (nothing weak-memory here: the stale copy is a program-level
//! copy); marks on spawn/join.
//!
//! Control: the whole read-modify-write of the counter under one write lock.

use std::fmt;

use racelab::explore::{FailureKind, Scenario};
use racelab::sync::{thread, Arc, RwLock};

use crate::common;

#[derive(Debug, Clone, Copy)]
struct Entry {
    value: u32,
    hits: u32,
}

struct Cache {
    entry: RwLock<Entry>,
}

impl Cache {
    fn new(value: u32) -> Self {
        Cache {
            entry: RwLock::new(Entry { value, hits: 0 }).named("entry"),
        }
    }

    /// Returns the value and counts the hit.
    fn get(&self) -> u32 {
        let (value, hits) = {
            let e = self.entry.read().unwrap();
            (e.value, e.hits)
        }; // read lock released here
           // BUG: `hits` may be stale by now; the write stores a count computed
           // from it.
        self.entry.write().unwrap().hits = hits + 1;
        value
    }

    /// Control: the counter bumped under the write lock it is read under.
    fn get_fixed(&self) -> u32 {
        let mut e = self.entry.write().unwrap();
        e.hits += 1;
        e.value
    }
}

#[derive(Clone, PartialEq, Eq, Hash)]
struct Stats {
    served: u32,
    hits: u32,
}

impl fmt::Display for Stats {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "served={} hits={}", self.served, self.hits)
    }
}

fn readers(fixed: bool) -> Scenario<Stats> {
    let name = if fixed {
        "b02::cache_write_lock"
    } else {
        "b02::cache_racy"
    };
    Scenario::new(name, move || {
        let cache = Arc::new(Cache::new(7));
        let handles: Vec<_> = ["alice", "bob"]
            .into_iter()
            .map(|who| {
                let cache = Arc::clone(&cache);
                thread::Builder::new()
                    .name(who)
                    .spawn(move || if fixed { cache.get_fixed() } else { cache.get() })
                    .unwrap()
            })
            .collect();
        let served = handles.into_iter().map(|h| (h.join().unwrap() == 7) as u32).sum();
        let hits = cache.entry.read().unwrap().hits;
        Stats { served, hits }
    })
    .expect_only(Stats { served: 2, hits: 2 })
}

#[test]
fn loom_finds_the_lost_hit() {
    common::explore(&readers(false), &common::loom()).assert_racy(Some(FailureKind::ForbiddenOutcome));
}

#[test]
fn shuttle_finds_the_lost_hit() {
    common::explore(&readers(false), &common::shuttle()).assert_racy(Some(FailureKind::ForbiddenOutcome));
}

#[test]
fn control_write_lock_holds() {
    common::explore(&readers(true), &common::loom()).assert_holds();
    common::explore(&readers(true), &common::shuttle()).assert_holds();
}
