//! # b01: Mozilla's property cache, flushed and filled at once (a multi-variable atomicity violation)
//!
//! **Source.** Shan Lu, Soyeon Park, Eunsoo Seo and Yuanyuan Zhou, *Learning
//! from Mistakes — A Comprehensive Study on Real World Concurrency Bug
//! Characteristics*, ASPLOS 2008, its study of non-deadlock bugs (the finding that
//! about a third of them involve more than one variable), whose
//! multi-variable example is Mozilla SpiderMonkey's property cache: `js_FlushPropertyCache`
//! clears the table (`memset(cache->table, 0, SIZE)`) and then sets
//! `cache->empty = JS_TRUE`, while `js_PropertyCacheFill` stores an entry
//! (`cache->table[indx] = obj`) and then sets `cache->empty = JS_FALSE`. The
//! two fields must agree, and neither function writes both as one.
//! (Paper: <https://dl.acm.org/doi/10.1145/1346281.1346323>.)
//!
//! **The program, reduced.** The cache holds one entry (`table`, 0 = no
//! entry) and the flag `empty`; it starts with an entry (`table = 5`,
//! `empty = false`). Thread `gc` flushes it (two stores), thread `interp`
//! fills it with a new entry 7 (two stores), each with `SeqCst` atomics
//! standing for SpiderMonkey's plain fields (so the logical bug, not C's
//! undefined behaviour, is what is checked). After both, `main` reads the
//! cache: it must be consistent, `table = 0, empty = true` (fill, then
//! flush) or `table = 7, empty = false` (flush, then fill).
//!
//! **The bug.** One thread's pair of stores lands between the other's: e.g.
//! `gc: store table <- 0`, `interp: store table <- 7`, `interp: store empty <-
//! false`, `gc: store empty <- true` leaves `table = 7, empty = true` (an entry
//! the cache says it does not have); the mirror interleaving leaves `table =
//! 0, empty = false`. Every store is blind (no thread reads the cache), so
//! no "lost update" in the read-then-write sense exists.
//!
//! **Teacher marks** (for the interleaving above; mirrored for the other):
//! 1. `gc`'s `store empty <- true`, kind `order_violation` (another thread's
//!    whole update, `interp`'s two stores, landed between `gc`'s two stores)
//!    or `atomicity_violation` (two writes meant as one, split by `interp`):
//!    "interp's whole fill (table <- 7, empty <- false) ran between gc's
//!    `store table <- 0` and this store: the cache now says empty but holds
//!    entry 7". Lenient: the mark on `interp`'s stores naming `gc`'s pair.
//!
//! No mark belongs on `main`'s final loads (they read the right, final
//! values), on the setup, or on the first store of either thread.
//!
//! **Controls.** Both fields under one `Mutex` (flush and fill each one
//! critical section), and both fields packed into one `AtomicU64` written by
//! a single store (a different primitive: one word, no lock).

use racelab::explore::{FailureKind, Grade, Scenario};
use racelab::sync::atomic::{AtomicBool, AtomicU32, AtomicU64, Ordering::SeqCst};
use racelab::sync::{thread, Arc, Mutex};

use crate::common;

const OLD_ENTRY: u32 = 5;
const NEW_ENTRY: u32 = 7;

fn consistent(o: &String) -> Grade {
    if o == "table = 0, empty = true" || o == "table = 7, empty = false" {
        Grade::Acceptable
    } else {
        Grade::Forbidden
    }
}

const EXPECTED: &str = "table = 0, empty = true, or table = 7, empty = false";

struct PropertyCache {
    table: AtomicU32,
    empty: AtomicBool,
}

fn racy() -> Scenario<String> {
    Scenario::new("blind10b::b01_property_cache_racy", || {
        let cache = Arc::new(PropertyCache {
            table: AtomicU32::new(OLD_ENTRY).named("table"),
            empty: AtomicBool::new(false).named("empty"),
        });
        let c = Arc::clone(&cache);
        let gc = thread::Builder::new()
            .name("gc")
            .spawn(move || {
                // js_FlushPropertyCache
                c.table.store(0, SeqCst); // memset(cache->table, 0, SIZE)
                c.empty.store(true, SeqCst); // cache->empty = JS_TRUE
            })
            .unwrap();
        let c = Arc::clone(&cache);
        let interp = thread::Builder::new()
            .name("interp")
            .spawn(move || {
                // js_PropertyCacheFill
                c.table.store(NEW_ENTRY, SeqCst); // cache->table[indx] = obj
                c.empty.store(false, SeqCst); // cache->empty = JS_FALSE
            })
            .unwrap();
        gc.join().unwrap();
        interp.join().unwrap();
        format!(
            "table = {}, empty = {}",
            cache.table.load(SeqCst),
            cache.empty.load(SeqCst)
        )
    })
    .expect(EXPECTED, consistent)
}

fn fixed_mutex() -> Scenario<String> {
    Scenario::new("blind10b::b01_property_cache_mutex", || {
        // (table, empty) under one lock.
        let cache = Arc::new(Mutex::new((OLD_ENTRY, false)).named("cache"));
        let c = Arc::clone(&cache);
        let gc = thread::Builder::new()
            .name("gc")
            .spawn(move || {
                let mut g = c.lock().unwrap();
                g.0 = 0;
                g.1 = true;
            })
            .unwrap();
        let c = Arc::clone(&cache);
        let interp = thread::Builder::new()
            .name("interp")
            .spawn(move || {
                let mut g = c.lock().unwrap();
                g.0 = NEW_ENTRY;
                g.1 = false;
            })
            .unwrap();
        gc.join().unwrap();
        interp.join().unwrap();
        let (table, empty) = *cache.lock().unwrap();
        format!("table = {table}, empty = {empty}")
    })
    .expect(EXPECTED, consistent)
}

fn pack(table: u32, empty: bool) -> u64 {
    (u64::from(table) << 1) | u64::from(empty)
}

fn fixed_one_word() -> Scenario<String> {
    Scenario::new("blind10b::b01_property_cache_one_word", || {
        // Both fields in one word: each function is one store.
        let cache = Arc::new(AtomicU64::new(pack(OLD_ENTRY, false)).named("cache"));
        let c = Arc::clone(&cache);
        let gc = thread::Builder::new()
            .name("gc")
            .spawn(move || c.store(pack(0, true), SeqCst))
            .unwrap();
        let c = Arc::clone(&cache);
        let interp = thread::Builder::new()
            .name("interp")
            .spawn(move || c.store(pack(NEW_ENTRY, false), SeqCst))
            .unwrap();
        gc.join().unwrap();
        interp.join().unwrap();
        let w = cache.load(SeqCst);
        format!("table = {}, empty = {}", w >> 1, w & 1 == 1)
    })
    .expect(EXPECTED, consistent)
}

#[test]
fn b01_racy_loom() {
    let report = common::explore(&racy(), &common::loom());
    report.assert_racy(Some(FailureKind::ForbiddenOutcome));
}

#[test]
fn b01_racy_shuttle() {
    let report = common::explore(&racy(), &common::shuttle());
    report.assert_racy(Some(FailureKind::ForbiddenOutcome));
}

#[test]
fn b01_fixed_mutex_holds() {
    common::explore(&fixed_mutex(), &common::loom()).assert_holds();
    common::explore(&fixed_mutex(), &common::shuttle()).assert_holds();
}

#[test]
fn b01_fixed_one_word_holds() {
    common::explore(&fixed_one_word(), &common::loom()).assert_holds();
    common::explore(&fixed_one_word(), &common::shuttle()).assert_holds();
}
