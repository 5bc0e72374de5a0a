//! # OSTEP ch. 28 homework, `flag.s`: a lock made of a plain flag
//!
//! Source: Arpaci-Dusseau, *Operating Systems: Three Easy Pieces*, ch. 28
//! ("Locks"), homework program `flag.s` run under `x86.py`: each thread spins
//! `while (flag == 1)`, then stores `flag = 1`, increments `count` with
//! `mov/add/mov`, and stores `flag = 0`.
//!
//! The bug: the test (`mov flag, %ax; test`) and the set (`mov $1, flag`) are
//! two separate steps. Both threads can read `flag == 0` before either stores
//! 1, and both enter the critical section: the increments of `count` (a plain
//! memory word, here a `racelab::sync::cell::UnsafeCell`) race, one is lost.
//! In Rust terms the two `count` accesses are a data race (UB); loom must say
//! `data race`, shuttle (which cannot see races) a forbidden `count = 1`.
//!
//! ## Teacher marks (written before looking at racelab's marks)
//! 1. The second thread's `store flag <- 1` (the "set"), after both threads
//!    loaded `flag -> 0`: kind `stale_check` ("acts on the check at step N":
//!    its check of the flag was overtaken by the other thread's set). Lenient:
//!    the same explanation on its `load flag -> 0` (the check), or on the
//!    other thread's `store flag <- 1` landing between check and set.
//! 2. loom: the conflicting access to `count` by the second thread inside the
//!    critical section: kind `data_race` ("races with step N", N being the
//!    other thread's access to `count`). Lenient: on the other access.
//!    shuttle: the second `write count` overwrites the first thread's
//!    increment: kind `lost_update`. Lenient: on the overwritten write or on
//!    the `read count` it was computed from (if the text says so).
//!
//! Spurious: marks on the spin loop's re-reads, on `store flag <- 0` (the
//! release), on `main`'s joins or its final read of `count`; any `deadlock`,
//! `aba`, or `no_sync` mark (every flag access is `SeqCst`: ordering is not
//! the bug, atomicity of test-and-set is).
//!
//! Controls: the test-and-set made one step (`compare_exchange`, OSTEP's
//! `test-and-set.s`), and the whole thing replaced by a `Mutex` (another
//! primitive).

use crate::common::{explore, loom, shuttle};
use racelab::explore::{FailureKind, Scenario};
use racelab::sync::atomic::{AtomicU8, Ordering::SeqCst};
use racelab::sync::cell::UnsafeCell;
use racelab::sync::{thread, Arc, Mutex};

struct Shared {
    flag: AtomicU8,
    count: UnsafeCell<u32>,
}

// SAFETY: the whole point of the puzzle is that the flag does NOT make this
// sound; the model checker is what decides.
unsafe impl Sync for Shared {}

/// `flag.s`'s critical section: increment `count` with load, add, store.
fn increment(s: &Shared) {
    let v = s.count.with(|p| unsafe { *p });
    s.count.with_mut(|p| unsafe { *p = v + 1 });
}

fn flag_lock(test_and_set: bool) -> Scenario<u32> {
    let name = if test_and_set {
        "ostep::test_and_set"
    } else {
        "ostep::flag"
    };
    Scenario::new(name, move || {
        let s = Arc::new(Shared {
            flag: AtomicU8::new(0).named("flag"),
            count: UnsafeCell::new(0).named("count"),
        });
        let worker = |s: Arc<Shared>| {
            move || {
                if test_and_set {
                    // test-and-set.s: xchg, one indivisible step.
                    while s.flag.compare_exchange(0, 1, SeqCst, SeqCst).is_err() {
                        thread::yield_now();
                    }
                } else {
                    // flag.s: test ...
                    while s.flag.load(SeqCst) != 0 {
                        thread::yield_now();
                    }
                    // ... then set.
                    s.flag.store(1, SeqCst);
                }
                increment(&s);
                s.flag.store(0, SeqCst);
            }
        };
        let t0 = thread::Builder::new().name("t0").spawn(worker(Arc::clone(&s))).unwrap();
        let t1 = thread::Builder::new().name("t1").spawn(worker(Arc::clone(&s))).unwrap();
        t0.join().unwrap();
        t1.join().unwrap();
        s.count.with(|p| unsafe { *p })
    })
    .expect_only(2)
}

/// The same counter behind a `Mutex`: another primitive altogether.
fn mutex_fix() -> Scenario<u32> {
    Scenario::new("ostep::flag_as_mutex", || {
        let count = Arc::new(Mutex::new(0u32).named("count"));
        let spawn = |name: &str| {
            let c = Arc::clone(&count);
            thread::Builder::new()
                .name(name)
                .spawn(move || *c.lock().unwrap() += 1)
                .unwrap()
        };
        let (t0, t1) = (spawn("t0"), spawn("t1"));
        t0.join().unwrap();
        t1.join().unwrap();
        let n = *count.lock().unwrap();
        n
    })
    .expect_only(2)
}

#[test]
fn a01_flag_lock_loom() {
    explore(&flag_lock(false), &loom()).assert_racy(Some(FailureKind::DataRace));
}

#[test]
fn a01_flag_lock_shuttle() {
    explore(&flag_lock(false), &shuttle()).assert_racy(Some(FailureKind::ForbiddenOutcome));
}

#[test]
fn a01_control_test_and_set_holds() {
    explore(&flag_lock(true), &loom()).assert_holds();
    explore(&flag_lock(true), &shuttle()).assert_holds();
}

#[test]
fn a01_control_mutex_holds() {
    explore(&mutex_fix(), &loom()).assert_holds();
    explore(&mutex_fix(), &shuttle()).assert_holds();
}
