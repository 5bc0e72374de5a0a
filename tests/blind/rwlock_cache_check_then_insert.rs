//! Check-then-insert on a cache behind an `RwLock` (the classic "upgrade"
//! mistake, e.g. Java Concurrency in Practice 2.2 / memoizer 5.16 done with a
//! read lock): check under the read lock, drop it, compute, insert under the
//! write lock. Two threads both miss and both compute.
//!
//! TEACHER MARKS (written before any run):
//! 1. the second thread's insert (its `write cache` acquisition, or the
//!    `fetch_add computed` it did because of the miss): it acts on its
//!    check `read cache -> {}` which the other thread made stale by
//!    inserting (or acting first) -> kind stale_check (act on a stale
//!    check). One mark; a second mark on its `fetch_add computed`, also
//!    stale_check, would be acceptable (same explanation).

use racelab::explore::{Grade, Scenario};
use racelab::sync::atomic::{AtomicU32, Ordering::SeqCst};
use racelab::sync::{thread, Arc, RwLock};
use std::collections::BTreeMap;

fn get(cache: &RwLock<BTreeMap<u32, u32>>, computed: &AtomicU32, v: u32) {
    let hit = cache.read().unwrap().contains_key(&1);
    if !hit {
        computed.fetch_add(1, SeqCst); // the expensive computation
        cache.write().unwrap().insert(1, v);
    }
}

fn scenario() -> Scenario<String> {
    Scenario::new("blind::rwlock_cache_check_then_insert", || {
        let cache = Arc::new(RwLock::new(BTreeMap::new()).named("cache"));
        let computed = Arc::new(AtomicU32::new(0).named("computed"));
        let (c, n) = (cache.clone(), computed.clone());
        let alice = thread::Builder::new()
            .name("alice")
            .spawn(move || get(&c, &n, 10))
            .unwrap();
        let (c, n) = (cache.clone(), computed.clone());
        let bob = thread::Builder::new()
            .name("bob")
            .spawn(move || get(&c, &n, 20))
            .unwrap();
        alice.join().unwrap();
        bob.join().unwrap();
        format!("computed {}", computed.load(SeqCst))
    })
    .expect("computed 1", |o: &String| {
        if o == "computed 1" {
            Grade::Acceptable
        } else {
            Grade::Forbidden
        }
    })
}

#[test]
fn rwlock_cache_check_then_insert() {
    let (l, s) = crate::both(&scenario());
    l.assert_racy(None);
    s.assert_racy(None);
}
