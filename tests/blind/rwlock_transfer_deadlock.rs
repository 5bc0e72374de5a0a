//! Two-account deadlock through `RwLock` (the transfer deadlock of every
//! textbook, e.g. OSTEP ch. 32 "deadlock", with one side only reading): an
//! audit read-locks `a` then `b`; a transfer write-locks `b` then `a`.
//!
//! TEACHER MARKS (written before any run):
//! 1. alice (audit) blocked on `read b` while holding `read a` -> deadlock
//!    (waits for bob, who holds b).
//! 2. bob (transfer) blocked on `write a` while holding `write b` ->
//!    deadlock (waits for alice, who holds a read lock on a).
//!
//! Two marks, kind deadlock (a cycle).

use racelab::explore::{FailureKind, Scenario};
use racelab::sync::{thread, Arc, RwLock};

fn scenario() -> Scenario<String> {
    Scenario::new("blind::rwlock_transfer_deadlock", || {
        let a = Arc::new(RwLock::new(100i64).named("a"));
        let b = Arc::new(RwLock::new(100i64).named("b"));
        let (a1, b1) = (a.clone(), b.clone());
        let alice = thread::Builder::new()
            .name("alice")
            .spawn(move || {
                let ga = a1.read().unwrap();
                let gb = b1.read().unwrap();
                *ga + *gb
            })
            .unwrap();
        let (a2, b2) = (a.clone(), b.clone());
        let bob = thread::Builder::new()
            .name("bob")
            .spawn(move || {
                let mut gb = b2.write().unwrap();
                let mut ga = a2.write().unwrap();
                *gb -= 10;
                *ga += 10;
            })
            .unwrap();
        let total = alice.join().unwrap();
        bob.join().unwrap();
        format!("audit {total}")
    })
    .expect_only("audit 200".to_string())
}

#[test]
fn rwlock_transfer_deadlock_shuttle() {
    let s = crate::show(&scenario(), &racelab::explore::Explorer::shuttle());
    s.assert_racy(Some(FailureKind::Deadlock));
}

/// Found by this round: under loom this aborted the whole test process
/// ("thread caused non-unwinding panic. aborting."), loom's `RwLock` release
/// during the teardown of a deadlocked execution; fixed in the vendored loom
/// (`.cargo/vendor/loom/PATCHED.md`).
#[test]
fn rwlock_transfer_deadlock_loom() {
    let l = crate::show(&scenario(), &racelab::explore::Explorer::loom());
    l.assert_racy(Some(FailureKind::Deadlock));
}

#[test]
fn rwlock_transfer_deadlock_loom_untraced() {
    let l = crate::show(&scenario(), &racelab::explore::Explorer::loom().with_tracing(false));
    l.assert_racy(Some(FailureKind::Deadlock));
}

/// Control: the same cycle with two `Mutex`es under loom (does the abort
/// come from `RwLock`?).
#[test]
fn mutex_transfer_deadlock_loom_control() {
    use racelab::sync::Mutex;
    let sc = Scenario::new("blind::mutex_transfer_deadlock", || {
        let a = Arc::new(Mutex::new(100i64).named("a"));
        let b = Arc::new(Mutex::new(100i64).named("b"));
        let (a1, b1) = (a.clone(), b.clone());
        let alice = thread::Builder::new()
            .name("alice")
            .spawn(move || {
                let ga = a1.lock().unwrap();
                let gb = b1.lock().unwrap();
                *ga + *gb
            })
            .unwrap();
        let (a2, b2) = (a.clone(), b.clone());
        let bob = thread::Builder::new()
            .name("bob")
            .spawn(move || {
                let mut gb = b2.lock().unwrap();
                let mut ga = a2.lock().unwrap();
                *gb -= 10;
                *ga += 10;
            })
            .unwrap();
        let total = alice.join().unwrap();
        bob.join().unwrap();
        format!("audit {total}")
    })
    .expect_only("audit 200".to_string());
    let l = crate::show(&sc, &racelab::explore::Explorer::loom());
    l.assert_racy(Some(FailureKind::Deadlock));
}
