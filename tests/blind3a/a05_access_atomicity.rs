//! **jcstress `BasicJMM_02_AccessAtomicity`, sub-test `Longs`** (called
//! `JMMSample_01_AccessAtomicity` in older jcstress).
//!
//! A writer does `v = 0xFFFFFFFF_FFFFFFFFL` (-1) while a reader reads `v`.
//! JLS 17.7 lets a 32-bit VM split a `long` into two 32-bit accesses, so the
//! reader can see half of the new value and half of the old: 4294967295 or
//! -4294967296, neither ever written. Transcribed as a Rust user would meet
//! it: a 64-bit value kept as two `AtomicU32` halves (`v.hi`, `v.lo`, each
//! `SeqCst`, so the only bug is the split, not the ordering). The writer
//! stores `hi` then `lo`; the reader loads `hi` then `lo`. 0 and -1 are the
//! acceptable outcomes, anything else is a torn value.
//!
//! **Teacher marks (written before looking at racelab's marks)**
//! 1. The reader's load that mixes the halves, i.e. its second load
//!    (`load v.lo`), which reads a half from the other "generation" than its
//!    `load v.hi` did - kind: *atomicity violation (torn snapshot)*: its two
//!    loads, meant as one 64-bit read, were split by the writer's store(s).
//! 2. The writer's store that falls between the reader's two loads (for
//!    hi-new/lo-old: `store v.lo` comes after both loads, and `store v.hi`
//!    before both, so the writer's *two stores* are what the reader's loads
//!    split; for hi-old/lo-new: both writer stores fall between the reader's
//!    loads) - kind: *atomicity violation*, other end (the write meant as one
//!    that is seen half done).
//!
//! No stale read (every load returns the latest value under `SeqCst`), no
//! lost update, no data race.

use racelab::explore::{Grade, Scenario};
use racelab::sync::atomic::{AtomicI64, AtomicU32, Ordering::SeqCst};
use racelab::sync::{thread, Arc};

use crate::common;

struct Halves {
    hi: AtomicU32,
    lo: AtomicU32,
}

fn grade(o: &i64) -> Grade {
    if *o == 0 || *o == -1 {
        Grade::Acceptable
    } else {
        Grade::Forbidden
    }
}

fn scenario() -> Scenario<i64> {
    Scenario::new("blind3a::access_atomicity", || {
        let v = Arc::new(Halves {
            hi: AtomicU32::new(0).named("v.hi"),
            lo: AtomicU32::new(0).named("v.lo"),
        });
        let w = Arc::clone(&v);
        let writer = thread::Builder::new()
            .name("writer")
            .spawn(move || {
                // v = 0xFFFFFFFF_FFFFFFFF, one half at a time
                w.hi.store(u32::MAX, SeqCst);
                w.lo.store(u32::MAX, SeqCst);
            })
            .unwrap();
        let r = Arc::clone(&v);
        let reader = thread::Builder::new()
            .name("reader")
            .spawn(move || {
                let hi = r.hi.load(SeqCst);
                let lo = r.lo.load(SeqCst);
                ((u64::from(hi) << 32) | u64::from(lo)) as i64
            })
            .unwrap();
        writer.join().unwrap();
        reader.join().unwrap()
    })
    .expect("0 or -1 (never a torn value)", grade)
}

/// The fix: one `AtomicI64` (the `volatile long` of the jcstress sample).
fn control() -> Scenario<i64> {
    Scenario::new("blind3a::access_atomicity_atomic_i64", || {
        let v = Arc::new(AtomicI64::new(0).named("v"));
        let w = Arc::clone(&v);
        let writer = thread::Builder::new()
            .name("writer")
            .spawn(move || w.store(-1, SeqCst))
            .unwrap();
        let r = Arc::clone(&v);
        let reader = thread::Builder::new()
            .name("reader")
            .spawn(move || r.load(SeqCst))
            .unwrap();
        writer.join().unwrap();
        reader.join().unwrap()
    })
    .expect("0 or -1 (never a torn value)", grade)
}

#[test]
fn loom() {
    common::explore(&scenario(), &common::loom()).assert_racy(None);
}

#[test]
fn shuttle() {
    common::explore(&scenario(), &common::shuttle()).assert_racy(None);
}

#[test]
fn control_loom() {
    common::explore(&control(), &common::loom()).assert_holds();
}

#[test]
fn control_shuttle() {
    common::explore(&control(), &common::shuttle()).assert_holds();
}
