//! # A spinlock on compare_exchange whose `expected` is never reset (Williams §5.2.3, listing 5.1)
//!
//! **Source.** Anthony Williams, *C++ Concurrency in Action*, 2nd ed.,
//! listing 5.1 "Implementation of a spinlock mutex using std::atomic_flag"
//! (`lock(): while(flag.test_and_set(std::memory_order_acquire));`,
//! `unlock(): flag.clear(std::memory_order_release);`) and §5.2.3's
//! description of `compare_exchange_weak()`/`compare_exchange_strong()` on
//! `std::atomic<bool>`: "if the actual value isn't equal to the expected
//! value, the expected value is updated to the actual value", so a retry
//! loop must set `expected` back (the book's own loop is `bool
//! expected=false; while(!b.compare_exchange_weak(expected,true) &&
//! !expected);`) (<https://github.com/anthonywilliams/ccia_code_samples/blob/master/listings/listing_5.1.cpp>).
//!
//! **Program.** Listing 5.1's spinlock rebuilt on an `AtomicBool` with
//! `while(!flag.compare_exchange_weak(expected, true, acquire));` and
//! `bool expected = false` declared once, before the loop (in Rust: a
//! failed compare-exchange's `Err(actual)` is written back to `expected`,
//! as C++ does). `unlock` stores `false` Release. alice and bob each
//! increment a plain counter (an `UnsafeCell`) under the lock.
//!
//! **Bug.** If bob's first compare-exchange fails because alice holds the
//! lock, `expected` becomes `true`; his next compare-exchange
//! `true -> true` succeeds while alice still holds the lock. Both are in the
//! critical section: under shuttle a lost update (count 1); under loom a
//! data race on the counter (bob's successful compare-exchange read alice's
//! Acquire-only write, so nothing orders the two critical sections).
//!
//! **Teacher marks** (written before the first run). Two per backend:
//! 1. bob's successful `compare_exchange locked true -> true`: "takes the
//!    lock although alice holds it (since step N): `expected` was left
//!    `true` by his failed attempt at step M". Kind: none of racelab's fits
//!    exactly; accepted: `atomicity_violation`, `order_violation`, or
//!    `stale_check` naming his failed attempt.
//! 2. the consequence: shuttle: the overwriting `write counter` (one
//!    thread's read-modify-write that overwrites the other's: kind
//!    `lost_update`); loom: the later access of the racing counter pair,
//!    kind `data_race` ("races with step N").
//!
//! No mark on alice's lock, on the unlocks, on bob's first (failed)
//! compare-exchange (it is right to fail), on the setup or the joins.
//!
//! **After the first run** (not part of the blind marks): loom missed the
//! committed puzzle (see `racy_under_loom`); `racy_under_loom_without_spin_hint`
//! runs the same lock without `hint::spin_loop()`, as the C++ loop is.
//!
//! **Controls.** (1) Listing 5.1 itself: `test_and_set` is `swap(true,
//! Acquire)`, no `expected` at all. (2) A semaphore with one permit as the
//! lock.

use racelab::explore::{FailureKind, Scenario};
use racelab::sync::atomic::{AtomicBool, Ordering};
use racelab::sync::cell::UnsafeCell;
use racelab::sync::{hint, thread, Arc, Semaphore};

use crate::common;

trait Lock: Send + Sync + 'static {
    fn lock(&self);
    fn unlock(&self);
}

/// The buggy spinlock: `expected` declared once, never reset.
struct CasSpinlock {
    flag: AtomicBool,
    /// Calls `hint::spin_loop()` between attempts (the committed puzzle);
    /// `false` is the C++ loop exactly, which has no hint (added after the
    /// first run: see `SCORES.md`).
    spin_hint: bool,
}

impl Lock for CasSpinlock {
    fn lock(&self) {
        let mut expected = false;
        loop {
            match self
                .flag
                .compare_exchange(expected, true, Ordering::Acquire, Ordering::Relaxed)
            {
                Ok(_) => return,
                // C++ writes the actual value back into `expected`.
                Err(actual) => expected = actual,
            }
            if self.spin_hint {
                hint::spin_loop();
            }
        }
    }
    fn unlock(&self) {
        self.flag.store(false, Ordering::Release);
    }
}

/// listing 5.1: `test_and_set(acquire)` / `clear(release)`.
struct FlagSpinlock {
    flag: AtomicBool,
}

impl Lock for FlagSpinlock {
    fn lock(&self) {
        while self.flag.swap(true, Ordering::Acquire) {
            hint::spin_loop();
        }
    }
    fn unlock(&self) {
        self.flag.store(false, Ordering::Release);
    }
}

impl Lock for Semaphore {
    fn lock(&self) {
        self.acquire();
    }
    fn unlock(&self) {
        self.release();
    }
}

struct Shared<L> {
    lock: L,
    counter: UnsafeCell<u32>,
}

// SAFETY: `counter` is only touched between `lock` and `unlock`; whether the
// lock really excludes is what the puzzle checks.
unsafe impl<L: Sync> Sync for Shared<L> {}

fn two_increments<L: Lock>(name: &'static str, make: fn() -> L) -> Scenario<String> {
    Scenario::new(name, move || {
        let s = Arc::new(Shared {
            lock: make(),
            counter: UnsafeCell::new(0).named("counter"),
        });
        let worker = |who: &str| {
            let s = Arc::clone(&s);
            thread::Builder::new()
                .name(who)
                .spawn(move || {
                    s.lock.lock();
                    // SAFETY (both): under the lock (see `unsafe impl Sync`).
                    let v = s.counter.with(|p| unsafe { *p });
                    s.counter.with_mut(|p| unsafe { *p = v + 1 });
                    s.lock.unlock();
                })
                .unwrap()
        };
        let (a, b) = (worker("alice"), worker("bob"));
        a.join().unwrap();
        b.join().unwrap();
        // SAFETY: both workers are joined.
        let count = s.counter.with(|p| unsafe { *p });
        format!("count = {count}")
    })
    .expect_only("count = 2".to_string())
}

fn cas_spinlock() -> CasSpinlock {
    CasSpinlock {
        flag: AtomicBool::new(false).named("locked"),
        spin_hint: true,
    }
}

fn cas_spinlock_no_hint() -> CasSpinlock {
    CasSpinlock {
        flag: AtomicBool::new(false).named("locked"),
        spin_hint: false,
    }
}

fn flag_spinlock() -> FlagSpinlock {
    FlagSpinlock {
        flag: AtomicBool::new(false).named("locked"),
    }
}

fn semaphore() -> Semaphore {
    Semaphore::new(1).named("lock")
}

/// The puzzle as committed. loom runs `hint::spin_loop()` as a yield, and a
/// thread that yielded is not scheduled again until another thread has
/// taken a step; alice's only step left inside her critical section is her
/// unlock (cell accesses are no scheduling points under loom), so bob's
/// second attempt always comes after it and succeeds legitimately. loom
/// reports "holds" (25 executions), and also with no preemption bound (18).
/// (Fixed since, not blind: under loom only every other yield of a thread
/// gives the processor up, so a spinner can retry at once; loom now finds
/// the data race.)
#[test]
fn racy_under_loom() {
    let report = common::explore(
        &two_increments("cia::spinlock_cas_expected", cas_spinlock),
        &common::loom(),
    );
    report.assert_racy(Some(FailureKind::DataRace));
}

/// Added after the first run: the C++ loop exactly, with no hint between
/// attempts. loom finds the data race.
#[test]
fn racy_under_loom_without_spin_hint() {
    let report = common::explore(
        &two_increments("cia::spinlock_cas_expected_no_hint", cas_spinlock_no_hint),
        &common::loom(),
    );
    report.assert_racy(Some(FailureKind::DataRace));
}

#[test]
fn racy_under_shuttle() {
    let report = common::explore(
        &two_increments("cia::spinlock_cas_expected", cas_spinlock),
        &common::shuttle(),
    );
    report.assert_racy(Some(FailureKind::ForbiddenOutcome));
    let outcome = report.failure.as_ref().and_then(|f| f.outcome.clone()).unwrap();
    assert_eq!(outcome, "count = 1");
}

#[test]
fn test_and_set_holds() {
    for explorer in [common::loom(), common::shuttle()] {
        common::explore(&two_increments("cia::spinlock_test_and_set", flag_spinlock), &explorer).assert_holds();
    }
}

#[test]
fn semaphore_holds() {
    for explorer in [common::loom(), common::shuttle()] {
        common::explore(&two_increments("cia::semaphore_lock", semaphore), &explorer).assert_holds();
    }
}
