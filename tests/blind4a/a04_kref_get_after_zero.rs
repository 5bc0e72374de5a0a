//! # a04: kref_get on an object whose count already hit zero (Linux kernel)
//!
//! Source: the Linux kernel's `Documentation/core-api/kref.rst`, the
//! `get_entry()` / `put_entry()` example: a lookup under the list's lock
//! does `kref_get`, while `put_entry()` calls `kref_put` *without* that lock
//! and the release function takes the entry off the list and frees it.
//!
//! Bug: `owner`'s `kref_put` drops the count from 1 to 0 and is about to
//! unlink and free the entry; before its release takes the list lock,
//! `finder` looks the entry up (still listed) and `kref_get`s it, 0 -> 1:
//! the object is resurrected. owner frees it anyway (finder uses freed
//! memory) and finder's own put frees it a second time. Model: the list is a
//! `RwLock<Option<u8>>` `table` (lookups read, removal writes), the count an
//! `AtomicU32` `refcount`, `freed` an `AtomicBool`, `frees` counts releases.
//!
//! ## Teacher marks (written before looking at racelab's marks)
//! 1. finder's `fetch_add refcount 0 -> 1` (under the read lock): the
//!    get-after-zero. **Atomicity violation**: owner's "count drops to zero"
//!    and "entry leaves the table" are meant as one step, and finder's lookup
//!    plus get land between them; equally a **stale check** (finder acts on
//!    its lookup although owner's decrement condemned the entry) or an
//!    **order violation**. The text must name owner's `fetch_sub 1 -> 0` (or
//!    the removal).
//! 2. lenient end: owner's `fetch_sub refcount 1 -> 0`, or owner's write
//!    lock of `table` (the unlink that came too late).
//!
//! Consequences, neither required nor spurious if the text is true: finder's
//! `load freed -> true` (use after free), the second release (`frees 1 -> 2`,
//! a double free). Spurious: a `lost_update` on `refcount` (every update is
//! an atomic RMW), a `stale_read`/`no_sync` on the Relaxed `fetch_add`
//! (`kref_get` is relaxed in the kernel too; ordering is not the bug).

use racelab::explore::{Explorer, Scenario};
use racelab::sync::atomic::{AtomicBool, AtomicU32, Ordering::*};
use racelab::sync::{thread, Arc, RwLock};

use crate::common;

struct Entry {
    table: RwLock<Option<u8>>,
    refcount: AtomicU32,
    freed: AtomicBool,
    frees: AtomicU32,
}

#[derive(Clone, Copy)]
enum Variant {
    /// `kref_get` under the lookup lock, `kref_put` without it.
    Racy,
    /// `kref_get_unless_zero`: the lookup refuses an entry whose count is 0.
    GetUnlessZero,
    /// `kref_put_mutex`-style: the last put and the unlink under the table's
    /// write lock, so no lookup can run between them.
    PutUnderLock,
}

impl Entry {
    fn release(&self, table_held: bool) {
        if !table_held {
            self.table.write().unwrap().take();
        }
        self.freed.store(true, Release);
        self.frees.fetch_add(1, Relaxed);
    }

    fn put(&self, variant: Variant) {
        if let Variant::PutUnderLock = variant {
            let mut table = self.table.write().unwrap();
            if self.refcount.fetch_sub(1, AcqRel) == 1 {
                table.take();
                drop(table);
                self.release(true);
            }
        } else if self.refcount.fetch_sub(1, AcqRel) == 1 {
            self.release(false);
        }
    }

    /// Looks the entry up; takes a reference if found.
    fn get_entry(&self, variant: Variant) -> bool {
        let table = self.table.read().unwrap();
        if table.is_none() {
            return false;
        }
        match variant {
            Variant::GetUnlessZero => self
                .refcount
                .fetch_update(Relaxed, Relaxed, |c| if c == 0 { None } else { Some(c + 1) })
                .is_ok(),
            _ => {
                self.refcount.fetch_add(1, Relaxed);
                true
            }
        }
    }
}

fn scenario(name: &str, variant: Variant) -> Scenario<String> {
    Scenario::new(name, move || {
        let e = Arc::new(Entry {
            table: RwLock::new(Some(7)).named("table"),
            refcount: AtomicU32::new(1).named("refcount"),
            freed: AtomicBool::new(false).named("freed"),
            frees: AtomicU32::new(0).named("frees"),
        });
        let o = Arc::clone(&e);
        let owner = thread::Builder::new()
            .name("owner")
            .spawn(move || o.put(variant))
            .unwrap();
        let f = Arc::clone(&e);
        let finder = thread::Builder::new()
            .name("finder")
            .spawn(move || {
                if f.get_entry(variant) {
                    let used_freed = f.freed.load(Acquire);
                    f.put(variant);
                    used_freed
                } else {
                    false
                }
            })
            .unwrap();
        owner.join().unwrap();
        let used_freed = finder.join().unwrap();
        format!("frees={} used_freed={used_freed}", e.frees.load(Relaxed))
    })
    .expect_only("frees=1 used_freed=false".to_string())
}

#[test]
fn loom_finds_the_resurrection() {
    common::racy(
        &scenario("blind4a::a04_kref_get_after_zero", Variant::Racy),
        Explorer::loom(),
    );
}

#[test]
fn shuttle_finds_the_resurrection() {
    common::racy(
        &scenario("blind4a::a04_kref_get_after_zero", Variant::Racy),
        Explorer::shuttle(),
    );
}

#[test]
fn get_unless_zero_holds_on_loom() {
    common::holds(
        &scenario("blind4a::a04_kref_get_unless_zero", Variant::GetUnlessZero),
        Explorer::loom(),
    );
}

#[test]
fn get_unless_zero_holds_on_shuttle() {
    common::holds(
        &scenario("blind4a::a04_kref_get_unless_zero", Variant::GetUnlessZero),
        Explorer::shuttle(),
    );
}

#[test]
fn put_under_lock_holds_on_loom() {
    common::holds(
        &scenario("blind4a::a04_kref_put_under_lock", Variant::PutUnderLock),
        Explorer::loom(),
    );
}

#[test]
fn put_under_lock_holds_on_shuttle() {
    common::holds(
        &scenario("blind4a::a04_kref_put_under_lock", Variant::PutUnderLock),
        Explorer::shuttle(),
    );
}
