//! # b08: a 64-bit sequence number kept as two 32-bit halves
//!
//! A sequence-number generator for a platform whose atomics were assumed to
//! be 32-bit keeps its `u64` as two `AtomicU32` halves, `hi` and `lo`. The
//! single writer bumps it (on carry: `lo <- 0`, then `hi += 1`); readers load
//! `hi`, then `lo`, and glue them. Each access is `SeqCst`, but the pair is
//! not one snapshot: at 0x0_ffff_ffff a reader can load the old `hi` (0),
//! then the new `lo` (0), and see 0x0: the sequence went backwards (a torn
//! read, an atomicity violation between two loads).
//!
//! ## Teacher marks (written before looking at racelab's marks)
//! Schedule: reader `load hi -> 0`; writer `load lo -> 4294967295`,
//! `store lo <- 0`, `fetch_add hi 0 -> 1`; reader `load lo -> 0`.
//! 1. The reader's `load lo -> 0`: kind `atomicity_violation`, "torn
//!    snapshot: writer's store lo at step N landed between this and the load
//!    of hi at step M". Other end (lenient): the same explanation on the
//!    reader's `load hi -> 0`, or on the writer's `store lo <- 0` as the
//!    write that split the pair.
//!
//! Spurious: a `stale_read` on either load (both read the latest value);
//! `lost_update` on the writer (it is the only writer); `data_race`
//! (everything is atomic); `no_sync` (all `SeqCst`).
//!
//! Control: one `AtomicU64` (a different primitive from the obvious
//! seqlock/mutex fix).

use racelab::explore::{FailureKind, Grade, Scenario};
use racelab::sync::atomic::{AtomicU32, AtomicU64, Ordering::SeqCst};
use racelab::sync::{thread, Arc};

use crate::common;

const START: u64 = 0xffff_ffff;

struct SeqGen {
    hi: AtomicU32,
    lo: AtomicU32,
}

impl SeqGen {
    fn new(start: u64) -> Self {
        SeqGen {
            hi: AtomicU32::new((start >> 32) as u32).named("hi"),
            lo: AtomicU32::new(start as u32).named("lo"),
        }
    }

    /// Single writer: no compare-exchange needed.
    fn bump(&self) {
        let lo = self.lo.load(SeqCst);
        if lo == u32::MAX {
            self.lo.store(0, SeqCst);
            self.hi.fetch_add(1, SeqCst);
        } else {
            self.lo.store(lo + 1, SeqCst);
        }
    }

    /// BUG: two loads are not one snapshot.
    fn current(&self) -> u64 {
        let hi = self.hi.load(SeqCst);
        let lo = self.lo.load(SeqCst);
        (u64::from(hi) << 32) | u64::from(lo)
    }
}

fn grade(seen: &String) -> Grade {
    if seen == &format!("{START:#x}") || seen == &format!("{:#x}", START + 1) {
        Grade::Acceptable
    } else {
        Grade::Forbidden
    }
}

fn halves() -> Scenario<String> {
    Scenario::new("b08::seqno_halves", || {
        let g = Arc::new(SeqGen::new(START));
        let w = Arc::clone(&g);
        let writer = thread::Builder::new().name("writer").spawn(move || w.bump()).unwrap();
        let r = Arc::clone(&g);
        let reader = thread::Builder::new()
            .name("reader")
            .spawn(move || r.current())
            .unwrap();
        writer.join().unwrap();
        format!("{:#x}", reader.join().unwrap())
    })
    .expect("0xffffffff or 0x100000000", grade)
}

/// Control: the whole number in one 64-bit atomic.
fn one_word() -> Scenario<String> {
    Scenario::new("b08::seqno_one_word", || {
        let seq = Arc::new(AtomicU64::new(START).named("seq"));
        let w = Arc::clone(&seq);
        let writer = thread::Builder::new()
            .name("writer")
            .spawn(move || {
                w.fetch_add(1, SeqCst);
            })
            .unwrap();
        let r = Arc::clone(&seq);
        let reader = thread::Builder::new()
            .name("reader")
            .spawn(move || r.load(SeqCst))
            .unwrap();
        writer.join().unwrap();
        format!("{:#x}", reader.join().unwrap())
    })
    .expect("0xffffffff or 0x100000000", grade)
}

#[test]
fn loom_finds_the_torn_read() {
    common::explore(&halves(), &common::loom()).assert_racy(Some(FailureKind::ForbiddenOutcome));
}

#[test]
fn shuttle_finds_the_torn_read() {
    common::explore(&halves(), &common::shuttle()).assert_racy(Some(FailureKind::ForbiddenOutcome));
}

#[test]
fn control_one_word_holds() {
    common::explore(&one_word(), &common::loom()).assert_holds();
    common::explore(&one_word(), &common::shuttle()).assert_holds();
}
