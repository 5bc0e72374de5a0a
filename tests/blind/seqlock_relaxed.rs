//! A seqlock with every access `Relaxed` (Boehm, "Can seqlocks get along
//! with programming language memory models?", MSPC'12; the kernel's
//! seqlock needs smp_rmb/smp_wmb): the reader's two sequence reads do not
//! order its data reads, and the writer has no fence, so the reader can
//! accept a torn pair.
//!
//! TEACHER MARKS (written before any run):
//! 1. bob's second `load seq` (the check that should catch the writer) ->
//!    it reads an old sequence number although it already saw the writer's
//!    data: kind stale_read (or no_sync: the Relaxed load that does not
//!    synchronise).
//! 2. the torn data read (bob's `load d1`/`load d2` that disagree): kind
//!    stale_read on the one that returns the old value, or
//!    atomicity_violation "torn snapshot".
//!
//! Two marks. Shuttle (SeqCst) cannot see this: holds.

use racelab::explore::{Grade, Scenario};
use racelab::sync::atomic::{
    fence, AtomicU32,
    Ordering::{Acquire, Relaxed, Release},
};
use racelab::sync::{thread, Arc};

fn scenario() -> Scenario<String> {
    build("blind::seqlock_relaxed", false)
}

/// `fixed`: Boehm's correct seqlock (writer: fence(Release) after seq=1,
/// seq=2 Release; reader: seq Acquire, fence(Acquire) before the re-read).
fn build(name: &str, fixed: bool) -> Scenario<String> {
    Scenario::new(name, move || {
        let seq = Arc::new(AtomicU32::new(0).named("seq"));
        let d1 = Arc::new(AtomicU32::new(0).named("d1"));
        let d2 = Arc::new(AtomicU32::new(0).named("d2"));
        let (s, x, y) = (seq.clone(), d1.clone(), d2.clone());
        let alice = thread::Builder::new()
            .name("alice")
            .spawn(move || {
                s.store(1, Relaxed);
                if fixed {
                    fence(Release);
                }
                x.store(1, Relaxed);
                y.store(1, Relaxed);
                s.store(2, if fixed { Release } else { Relaxed });
            })
            .unwrap();
        let (s, x, y) = (seq.clone(), d1.clone(), d2.clone());
        let bob = thread::Builder::new()
            .name("bob")
            .spawn(move || {
                let s1 = s.load(if fixed { Acquire } else { Relaxed });
                if s1 % 2 == 1 {
                    return None;
                }
                let a = x.load(Relaxed);
                let b = y.load(Relaxed);
                if fixed {
                    fence(Acquire);
                }
                let s2 = s.load(Relaxed);
                if s1 != s2 {
                    return None;
                }
                Some((a, b))
            })
            .unwrap();
        alice.join().unwrap();
        let r = bob.join().unwrap();
        format!("reader {r:?}")
    })
    .expect("a consistent pair or a retry", |o: &String| match o.as_str() {
        "reader Some((1, 0))" | "reader Some((0, 1))" => Grade::Forbidden,
        _ => Grade::Acceptable,
    })
}

#[test]
fn seqlock_relaxed() {
    let (l, s) = crate::both(&scenario());
    l.assert_racy(None);
    assert!(s.failure.is_none(), "shuttle (SeqCst) should not see a Relaxed bug");
}

#[test]
fn seqlock_fenced_fixed() {
    let (l, s) = crate::both(&build("blind::seqlock_fenced_fixed", true));
    l.assert_holds();
    s.assert_holds();
}
