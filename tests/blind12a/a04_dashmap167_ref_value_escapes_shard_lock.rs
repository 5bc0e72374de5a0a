//! # dashmap #167 / RUSTSEC-2022-0002: a `&V` that outlives the shard lock
//!
//! **Source.** RUSTSEC-2022-0002, "Unsoundness in `dashmap` references"
//! (<https://rustsec.org/advisories/RUSTSEC-2022-0002>): "Reference returned
//! by some methods of `Ref` (and similar types) may outlive the `Ref` and
//! escape the lock. This causes undefined behavior and may result in a
//! segfault. More information in dashmap#167"
//! (<https://github.com/xacrimon/dashmap/issues/167>). Affected:
//! `Ref::value`, `Ref::key`, `Ref::pair`... in dashmap 5.0.0, fixed in 5.1.0.
//!
//! **Program.** One shard: an `RwLock<()>` guarding an `UnsafeCell<u64>`
//! value (0 stands for "removed", the entry freed). `getter` does what
//! `map.get(&k).unwrap().value()` did in 5.0.0: take the read lock, look the
//! entry up (`read value`), hand out a reference whose lifetime is the map's,
//! not the guard's, drop the `Ref` (unlock), then dereference the escaped
//! reference. Main removes the entry under the write lock (`write value <-
//! 0`).
//!
//! **Bug.** A use after unlock: the getter's second read is not protected by
//! any lock, so main's removal can come between the lookup and the use. Under
//! loom this is a data race on the cell (nothing orders main's write and the
//! getter's late read); under shuttle it shows as the getter reading a
//! removed entry (0) after its lookup found it present.
//!
//! **Teacher marks.**
//! - loom (2): the getter's read of `value` after `unlock shard`, kind
//!   `data_race`, "races with main's `write value <- 0` (step N): the read
//!   comes after the getter released the shard lock"; and main's `write
//!   value`, kind `data_race`, the other end.
//! - shuttle (1): the getter's late `read value -> 0`, kind `stale_check`
//!   (or `atomicity_violation`): "acts on the lookup at step N (under the
//!   read lock), which main's remove (step M) changed in between".
//!
//! No mark belongs on the lock/unlock steps themselves, the lookup under the
//! read lock, or the spawn.

use crate::common;
use racelab::explore::{FailureKind, Grade, Scenario};
use racelab::sync::cell::UnsafeCell;
use racelab::sync::{thread, Arc, Mutex, RwLock};

struct Shard {
    lock: RwLock<()>,
    value: UnsafeCell<u64>,
}

// SAFETY (intended): `value` is only to be touched under `lock`; the racy
// scenario breaks that on purpose, as dashmap 5.0.0 did.
unsafe impl Sync for Shard {}

/// What the getter read: `None` (no entry) or the entry's value.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
struct Got(Option<u64>);

impl std::fmt::Display for Got {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.0 {
            Some(v) => write!(f, "getter read {v}"),
            None => write!(f, "getter found no entry"),
        }
    }
}

fn removed(o: &Got) -> Grade {
    if o.0 == Some(0) {
        Grade::Forbidden
    } else {
        Grade::Acceptable
    }
}

const EXPECTED: &str = "the getter sees the entry (1) or no entry, never a removed one";

fn shard() -> Arc<Shard> {
    Arc::new(Shard {
        lock: RwLock::new(()).named("shard"),
        value: UnsafeCell::new(1).named("value"),
    })
}

/// `fixed`: dashmap 5.1.0, the reference lives no longer than the `Ref`, so
/// the value is read while the read guard is held.
fn scenario(name: &str, fixed: bool) -> Scenario<Got> {
    Scenario::new(name, move || {
        let s = shard();
        let g = Arc::clone(&s);
        let getter = thread::Builder::new()
            .name("getter")
            .spawn(move || {
                let guard = g.lock.read().unwrap();
                let present = g.value.with(|p| unsafe { *p }) != 0; // the lookup
                if !present {
                    return None;
                }
                if fixed {
                    let v = g.value.with(|p| unsafe { *p });
                    drop(guard);
                    Some(v)
                } else {
                    drop(guard); // the `Ref` is dropped; the `&V` escaped
                    Some(g.value.with(|p| unsafe { *p }))
                }
            })
            .unwrap();
        {
            let _w = s.lock.write().unwrap(); // map.remove(&k)
            s.value.with_mut(|p| unsafe { *p = 0 });
        }
        Got(getter.join().unwrap())
    })
    .expect(EXPECTED, removed)
}

/// Another primitive: a mutex and a copy of the value out of it (what a
/// `get` returning an owned clone does).
fn mutex_copy() -> Scenario<Got> {
    Scenario::new("blind12a::dashmap167_mutex_copy", || {
        let m = Arc::new(Mutex::new(1u64).named("entry"));
        let g = Arc::clone(&m);
        let getter = thread::Builder::new()
            .name("getter")
            .spawn(move || {
                let v = *g.lock().unwrap();
                (v != 0).then_some(v)
            })
            .unwrap();
        *m.lock().unwrap() = 0;
        Got(getter.join().unwrap())
    })
    .expect(EXPECTED, removed)
}

#[test]
fn racy_loom() {
    let r = common::explore(&scenario("blind12a::dashmap167_escaped_ref", false), &common::loom());
    r.assert_racy(Some(FailureKind::DataRace));
}

/// Verdict wrong under shuttle: in 1000 schedules (and 3000 with seeds 7,
/// 11, 99 and depth up to 10, tried once by hand) the getter never runs
/// before main's first `write` lock, so the lookup never finds the entry
/// that main then removes; a sequentially consistent schedule with one
/// preemption shows the bug (`getter read 0`).
#[test]
#[ignore = "racelab (shuttle) says no failure in 1000 schedules; the right verdict is a forbidden outcome (getter read 0)"]
fn racy_shuttle() {
    let r = common::explore(&scenario("blind12a::dashmap167_escaped_ref", false), &common::shuttle());
    r.assert_racy(Some(FailureKind::ForbiddenOutcome));
}

#[test]
fn controls_hold() {
    for s in [scenario("blind12a::dashmap167_read_under_guard", true), mutex_copy()] {
        common::explore(&s, &common::loom()).assert_holds();
        common::explore(&s, &common::shuttle()).assert_holds();
    }
}
