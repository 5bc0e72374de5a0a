//! **jcstress `BasicJMM_09_BenignRaces`, sub-test `Full`**.
//!
//! The "benign race" lazy initialisation: `T get() { T t = instance; if (t
//! == null) { t = new T(42); instance = t; } return t; }`, a single racy read
//! and an idempotent racy store. In Java it is well-defined (final fields,
//! a single read) and every caller sees 42. Transcribed to Rust the way a
//! Java programmer would: `instance` is a plain `UnsafeCell<u32>` (0 =
//! null) in a struct with `unsafe impl Sync`, "because the race is benign".
//! It is not: in Rust two unsynchronised accesses to the same memory, one a
//! write, are a data race and undefined behaviour, whatever values they
//! carry. Every outcome is `42, 42`; the only failure is the race itself.
//! Two actors call `get()` once each.
//!
//! **Teacher marks (written before looking at racelab's marks)**
//! 1. The second of the two conflicting accesses in the failing run (e.g.
//!    actor2's `read instance` racing with actor1's `write instance`, or the
//!    two `write instance`s) - kind: *data race* ("races with step N").
//! 2. The first access of that pair (actor1's `write instance` or `read
//!    instance`) - kind: *data race*, other end.
//!
//! Anything about lost updates or stale checks would be spurious: both
//! threads store the same 42, nothing is lost, the check leads to the right
//! value. The only explanation is "nothing orders these accesses".
//!
//! Backend note (written before running): shuttle does not check data races
//! (`src/sync/cell.rs`), so a "holds" from shuttle is its documented blind
//! spot, and still a wrong verdict for this program.

use racelab::explore::{FailureKind, Scenario};
use racelab::sync::atomic::{AtomicU32, Ordering::Relaxed};
use racelab::sync::cell::UnsafeCell;
use racelab::sync::{thread, Arc};

use crate::common;

struct Holder {
    instance: UnsafeCell<u32>,
}

// SAFETY: none - this is the bug under test ("the race is benign").
unsafe impl Sync for Holder {}
unsafe impl Send for Holder {}

impl Holder {
    fn get(&self) -> u32 {
        // SAFETY: not sound; the model checker is here to say so.
        let t = self.instance.with(|p| unsafe { *p });
        if t == 0 {
            let t = 42;
            self.instance.with_mut(|p| unsafe { *p = t });
            t
        } else {
            t
        }
    }
}

fn scenario() -> Scenario<String> {
    Scenario::new("blind3a::benign_race", || {
        let h = Arc::new(Holder {
            instance: UnsafeCell::new(0).named("instance"),
        });
        let mut actors = Vec::new();
        for name in ["actor1", "actor2"] {
            let h = Arc::clone(&h);
            actors.push(thread::Builder::new().name(name).spawn(move || h.get()).unwrap());
        }
        let r: Vec<u32> = actors.into_iter().map(|a| a.join().unwrap()).collect();
        format!("{}, {}", r[0], r[1])
    })
    .expect_only("42, 42".to_owned())
}

/// The fix: the same single-read idiom on an `AtomicU32` (`Relaxed` is
/// enough: the value is a plain integer, nothing else is published).
fn control() -> Scenario<String> {
    Scenario::new("blind3a::benign_race_atomic", || {
        let instance = Arc::new(AtomicU32::new(0).named("instance"));
        let mut actors = Vec::new();
        for name in ["actor1", "actor2"] {
            let inst = Arc::clone(&instance);
            actors.push(
                thread::Builder::new()
                    .name(name)
                    .spawn(move || {
                        let t = inst.load(Relaxed);
                        if t == 0 {
                            inst.store(42, Relaxed);
                            42
                        } else {
                            t
                        }
                    })
                    .unwrap(),
            );
        }
        let r: Vec<u32> = actors.into_iter().map(|a| a.join().unwrap()).collect();
        format!("{}, {}", r[0], r[1])
    })
    .expect_only("42, 42".to_owned())
}

#[test]
fn loom() {
    common::explore(&scenario(), &common::loom()).assert_racy(Some(FailureKind::DataRace));
}

// WRONG VERDICT (a documented blind spot): shuttle does not check data
// races, so it says "holds" (with a note) for a program with one.
#[test]
#[ignore = "wrong verdict: shuttle does not detect data races (documented)"]
fn shuttle() {
    common::explore(&scenario(), &common::shuttle()).assert_racy(Some(FailureKind::DataRace));
}

#[test]
fn control_loom() {
    common::explore(&control(), &common::loom()).assert_holds();
}

#[test]
fn control_shuttle() {
    common::explore(&control(), &common::shuttle()).assert_holds();
}
