//! # memcached #469: "Issue with incr and delete running in parallel"
//!
//! **Source.** <https://github.com/memcached/memcached/issues/469>, fixed by
//! PR #470 "close delete + incr item survival bug" (dormando, released in
//! 1.5.14, April 2019). dormando's analysis in the issue:
//!
//! > ```text
//! > it = item_get(key); // this function is locked.
//! > if (it) { // it->refcount is currently 2.
//! >   item_unlink(it); // this is locked a second time
//! > ```
//! > ... within do_add_delta: `if (it->refcount == 2)` update in place, else
//! > allocate a new item and `item_replace(it, new_it)`. ...
//! > `item_unlink(it); // this function has no return value, and silently
//! > returns if the object is already removed` ... continues to print
//! > success, despite the object outliving the request.
//!
//! and PR #470: "delete actually locks/unlocks the item (and hashes the
//! key!) three times. Inbetween fetch and unlink, a fully locked add_delta()
//! can run, deleting the underlying item. DELETE then returns success despite
//! the original object hopscotching over it."
//!
//! **The program.** One key `counter` whose hash bucket is guarded by an item
//! lock (`Mutex<Option<Item>>`; an item has an id, a value and a refcount
//! that counts the hash table's reference). Thread `delete` runs the DELETE
//! command: `item_get` (lock, take a reference, unlock), then `item_unlink`
//! (lock, unlink if that item is still the linked one, unlock), then replies
//! `DELETED`. Thread `incr` runs INCR: `add_delta` with the item lock held
//! throughout: if the item's refcount (with its own reference) is 2 it
//! updates in place, else it links a new item (new id) with the new value.
//!
//! **The bug.** An atomicity violation (check-then-act across two critical
//! sections): INCR runs between DELETE's fetch and its unlink, sees the extra
//! reference, and replaces the item; DELETE's unlink then finds a different
//! item and does nothing, yet DELETE answers `DELETED` and the key survives.
//!
//! **Teacher marks** (written before the first run):
//! 1. `delete`'s second `lock item_lock` (the `item_unlink` critical section
//!    that finds item 2 and leaves it): kind `stale_check` (or
//!    `atomicity_violation`): "acts on the item fetched at step N; `incr`
//!    replaced it at step M in between, so the unlink removes nothing".
//!
//! A mark on `incr`'s critical section saying its whole update "lands
//! between" delete's two steps (`order_violation`) names the same pair: the
//! other end (lenient). No mark belongs on: delete's first critical section
//! (a true read), the spawns, joins, and `main`'s final lock.
//!
//! **Controls.** (a) PR #470: DELETE fetches and unlinks under one hold of
//! the item lock. (b) The table behind an `RwLock`: DELETE and INCR take the
//! write lock once each (another primitive).

use racelab::explore::{FailureKind, Grade, Scenario};
use racelab::sync::{thread, Arc, Mutex, RwLock};

use crate::common;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Item {
    id: u32,
    value: u64,
    refcount: u32,
}

#[derive(Clone, Copy, PartialEq)]
enum Variant {
    Racy,
    OneLock,
    RwLock,
}

enum Table {
    Mutex(Mutex<Option<Item>>),
    RwLock(RwLock<Option<Item>>),
}

/// The DELETE command.
fn delete(table: &Table, v: Variant) -> &'static str {
    match (table, v) {
        (Table::Mutex(lock), Variant::Racy) => {
            // item_get(key): locked once.
            let fetched = {
                let mut g = lock.lock().unwrap();
                g.as_mut().map(|it| {
                    it.refcount += 1;
                    it.id
                })
            };
            let Some(id) = fetched else { return "NOT_FOUND" };
            // item_unlink(it): locked a second time; silently does nothing if
            // `it` is no longer the linked item.
            {
                let mut g = lock.lock().unwrap();
                if g.is_some_and(|linked| linked.id == id) {
                    *g = None;
                }
            }
            "DELETED"
        }
        (Table::Mutex(lock), _) => {
            // PR #470: item_get_locked + do_item_unlink under one hold.
            let mut g = lock.lock().unwrap();
            if g.take().is_some() {
                "DELETED"
            } else {
                "NOT_FOUND"
            }
        }
        (Table::RwLock(lock), _) => {
            let mut g = lock.write().unwrap();
            if g.take().is_some() {
                "DELETED"
            } else {
                "NOT_FOUND"
            }
        }
    }
}

/// `do_add_delta`: the whole INCR under the item lock.
fn add_delta(slot: &mut Option<Item>) -> &'static str {
    match slot {
        None => "NOT_FOUND",
        Some(it) => {
            if it.refcount + 1 == 2 {
                it.value += 1; // we own the only other reference: in place
            } else {
                // item_replace(it, new_it)
                *slot = Some(Item {
                    id: it.id + 1,
                    value: it.value + 1,
                    refcount: 1,
                });
            }
            "INCREMENTED"
        }
    }
}

fn incr(table: &Table) -> &'static str {
    match table {
        Table::Mutex(lock) => add_delta(&mut lock.lock().unwrap()),
        Table::RwLock(lock) => add_delta(&mut lock.write().unwrap()),
    }
}

fn scenario(name: &str, v: Variant) -> Scenario<String> {
    Scenario::new(name, move || {
        let first = Some(Item {
            id: 1,
            value: 10,
            refcount: 1,
        });
        let table = Arc::new(match v {
            Variant::RwLock => Table::RwLock(RwLock::new(first).named("item_lock")),
            _ => Table::Mutex(Mutex::new(first).named("item_lock")),
        });
        let (t1, t2) = (Arc::clone(&table), Arc::clone(&table));
        let d = thread::Builder::new()
            .name("delete")
            .spawn(move || delete(&t1, v))
            .unwrap();
        let i = thread::Builder::new().name("incr").spawn(move || incr(&t2)).unwrap();
        let (deleted, incremented) = (d.join().unwrap(), i.join().unwrap());
        let survives = match &*table {
            Table::Mutex(lock) => lock.lock().unwrap().is_some(),
            Table::RwLock(lock) => lock.read().unwrap().is_some(),
        };
        format!("delete: {deleted}, incr: {incremented}, key present after: {survives}")
    })
    .expect("a DELETED key is gone afterwards", |o: &String| {
        if o.starts_with("delete: DELETED") && o.ends_with("key present after: true") {
            Grade::Forbidden
        } else {
            Grade::Acceptable
        }
    })
}

#[test]
fn racy_loom() {
    let s = scenario("b08::memcached_delete_incr_racy", Variant::Racy);
    common::explore(&s, &common::loom()).assert_racy(Some(FailureKind::ForbiddenOutcome));
}

#[test]
fn racy_shuttle() {
    let s = scenario("b08::memcached_delete_incr_racy", Variant::Racy);
    common::explore(&s, &common::shuttle()).assert_racy(Some(FailureKind::ForbiddenOutcome));
}

#[test]
fn control_one_lock_loom() {
    let s = scenario("b08::memcached_delete_one_lock", Variant::OneLock);
    common::explore(&s, &common::loom()).assert_holds();
}

#[test]
fn control_one_lock_shuttle() {
    let s = scenario("b08::memcached_delete_one_lock", Variant::OneLock);
    common::explore(&s, &common::shuttle()).assert_holds();
}

#[test]
fn control_rwlock_loom() {
    let s = scenario("b08::memcached_rwlock_table", Variant::RwLock);
    common::explore(&s, &common::loom()).assert_holds();
}

#[test]
fn control_rwlock_shuttle() {
    let s = scenario("b08::memcached_rwlock_table", Variant::RwLock);
    common::explore(&s, &common::shuttle()).assert_holds();
}
