//! Rust Atomics and Locks, ch. 4 (spin lock): the unlock is a `Relaxed`
//! store instead of `Release`, so the next holder's acquire does not
//! synchronise with the previous critical section.
//!
//! TEACHER MARKS (written before any run):
//! 1. the unlock `store locked <- false` (Relaxed) of the first holder:
//!    kind no_sync (the atomic that should have ordered the critical
//!    sections, and why it does not: Relaxed, not Release).
//! 2. the second holder's access to `data` (read or write of the cell):
//!    kind data_race, "races with step N" (the first holder's write).
//!
//! Shuttle runs every atomic as SeqCst: it cannot see this bug (verdict:
//! holds, expected for that backend).

use racelab::explore::Scenario;
use racelab::sync::atomic::{
    AtomicBool,
    Ordering::{self, Acquire, Relaxed, Release},
};
use racelab::sync::cell::UnsafeCell;
use racelab::sync::{thread, Arc};

struct Spin {
    locked: AtomicBool,
    data: UnsafeCell<u32>,
}
unsafe impl Sync for Spin {}

impl Spin {
    fn add(&self, unlock: Ordering) {
        while self.locked.compare_exchange(false, true, Acquire, Relaxed).is_err() {
            thread::yield_now();
        }
        self.data.with_mut(|p| unsafe { *p += 1 });
        self.locked.store(false, unlock); // BUG when Relaxed: should be Release
    }
}

fn scenario() -> Scenario<String> {
    build("blind::spinlock_relaxed_unlock", Relaxed)
}

fn build(name: &str, unlock: Ordering) -> Scenario<String> {
    Scenario::new(name, move || {
        let s = Arc::new(Spin {
            locked: AtomicBool::new(false).named("locked"),
            data: UnsafeCell::new(0).named("data"),
        });
        let s2 = s.clone();
        let bob = thread::Builder::new()
            .name("bob")
            .spawn(move || s2.add(unlock))
            .unwrap();
        let s3 = s.clone();
        let alice = thread::Builder::new()
            .name("alice")
            .spawn(move || s3.add(unlock))
            .unwrap();
        bob.join().unwrap();
        alice.join().unwrap();
        let v = s.data.with(|p| unsafe { *p });
        format!("data = {v}")
    })
    .expect_only("data = 2".to_string())
}

#[test]
fn spinlock_relaxed_unlock() {
    let (l, s) = crate::both(&scenario());
    l.assert_racy(None);
    assert!(s.failure.is_none(), "shuttle (SeqCst) should not see a Relaxed bug");
}

#[test]
fn spinlock_release_unlock_fixed() {
    let (l, s) = crate::both(&build("blind::spinlock_release_unlock_fixed", Release));
    l.assert_holds();
    s.assert_holds();
}
