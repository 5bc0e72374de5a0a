//! # b01: the unsafe spin lock, unlocked before the last access
//!
//! **Source.** Mara Bos, *Rust Atomics and Locks* (O'Reilly, 2023), chapter 4
//! "Building Our Own Spin Lock", section "An Unsafe Spin Lock"
//! (<https://marabos.nl/atomics/building-spinlock.html>; the book's code:
//! `src/ch4_spin_lock/s2_unsafe.rs` in github.com/m-ou-se/rust-atomics-and-locks).
//! The book's `SpinLock<T>` is an `AtomicBool` and an `UnsafeCell<T>`:
//! `lock()` spins on `swap(true, Acquire)` and hands out `&mut T`, and
//! `unsafe fn unlock()` does `store(false, Release)`, with the safety rule
//! "The &mut T from lock() must be gone! (And no cheating by keeping
//! reference to fields of that T around!)". The chapter then introduces the
//! lock guard precisely because nothing stops a caller from breaking it.
//!
//! **The program.** Two threads add one to a counter behind the spin lock.
//! bob follows the rule. alice "cheats": she calls `unlock()` and only then
//! does her `*v += 1` through the `&mut` she still holds. (`*v += 1` is
//! transcribed as the read and the write the compiled code does, each one a
//! tracked access of the `UnsafeCell`.)
//!
//! **The bug.** alice's read and write of `value` come after her Release
//! store, so nothing orders them with bob's critical section: a data race
//! (loom), and on a sequential schedule a lost update (shuttle): both read
//! 0, both write 1, final count 1 instead of 2.
//!
//! **Teacher marks (written before the first run).**
//! - loom (verdict: data race). One mark: alice's access to `value` that
//!   comes after her `store locked <- false` (her read, or her write),
//!   kind `data_race`: "alice's access to value races with bob's access at
//!   step N: alice released the lock (step K) before touching it, so
//!   nothing orders the two". Lenient: the same mark on bob's access naming
//!   alice's. An extra true mark on alice's early `store locked <- false`
//!   (order_violation / no_sync) is welcome, not counted.
//! - shuttle (verdict: forbidden outcome, count 1). One mark: the second of
//!   the two `write value <- 1` (alice's or bob's, whichever comes last),
//!   kind `lost_update`: "overwrites step N (the other thread's update is
//!   lost)", computed from that thread's read of 0 made before the other's
//!   write. Lenient: a mark on that thread's stale read naming the write.
//! - No mark belongs on: the spinning `swap locked` attempts (the polling
//!   loop), bob's own unlock, the setup, main's final read.
//!
//! **Controls.** (1) The book's fix, transcribed without the guard type:
//! alice unlocks after her last access, as the guard's `Drop` would. (2) The
//! same two increments under the facade's `Mutex` (a `std::sync::Mutex`).

use racelab::explore::{FailureKind, Scenario};
use racelab::sync::atomic::{AtomicBool, Ordering::Acquire, Ordering::Release};
use racelab::sync::cell::UnsafeCell;
use racelab::sync::{hint, thread, Arc, Mutex};

use crate::common;

/// The book's `SpinLock<T>` (chapter 4, "An Unsafe Spin Lock").
struct SpinLock {
    locked: AtomicBool,
    value: UnsafeCell<u64>,
}

// Safety: as the book's `unsafe impl<T> Sync for SpinLock<T> where T: Send`;
// every access to `value` goes through the lock (by the caller's promise).
unsafe impl Sync for SpinLock {}

/// The book's `&mut T`: each read and write of the counter through it is a
/// tracked access of the cell.
struct ValueRef<'a>(&'a UnsafeCell<u64>);

impl ValueRef<'_> {
    fn get(&self) -> u64 {
        self.0.with(|p| unsafe { *p })
    }
    fn set(&self, v: u64) {
        self.0.with_mut(|p| unsafe { *p = v })
    }
}

impl SpinLock {
    fn new() -> Self {
        SpinLock {
            locked: AtomicBool::new(false).named("locked"),
            value: UnsafeCell::new(0).named("value"),
        }
    }

    fn lock(&self) -> ValueRef<'_> {
        while self.locked.swap(true, Acquire) {
            hint::spin_loop();
        }
        ValueRef(&self.value)
    }

    /// Safety (the book's): the `&mut T` from `lock()` must be gone!
    unsafe fn unlock(&self) {
        self.locked.store(false, Release);
    }
}

/// Two increments; `cheat` makes alice unlock before her increment.
fn scenario(name: &str, cheat: bool) -> Scenario<u64> {
    Scenario::new(name, move || {
        let lock = Arc::new(SpinLock::new());
        let l = Arc::clone(&lock);
        let alice = thread::Builder::new()
            .name("alice")
            .spawn(move || {
                let v = l.lock();
                if cheat {
                    unsafe { l.unlock() };
                    let n = v.get();
                    v.set(n + 1);
                } else {
                    let n = v.get();
                    v.set(n + 1);
                    unsafe { l.unlock() };
                }
            })
            .unwrap();
        let l = Arc::clone(&lock);
        let bob = thread::Builder::new()
            .name("bob")
            .spawn(move || {
                let v = l.lock();
                let n = v.get();
                v.set(n + 1);
                unsafe { l.unlock() };
            })
            .unwrap();
        alice.join().unwrap();
        bob.join().unwrap();
        lock.value.with(|p| unsafe { *p })
    })
    .expect_only(2)
}

/// Control 2: the facade's `Mutex`.
fn mutex_control() -> Scenario<u64> {
    Scenario::new("b01::mutex", || {
        let count = Arc::new(Mutex::new(0u64).named("count"));
        let handles: Vec<_> = ["alice", "bob"]
            .into_iter()
            .map(|who| {
                let c = Arc::clone(&count);
                thread::Builder::new()
                    .name(who)
                    .spawn(move || {
                        *c.lock().unwrap() += 1;
                    })
                    .unwrap()
            })
            .collect();
        for h in handles {
            h.join().unwrap();
        }
        let n = *count.lock().unwrap();
        n
    })
    .expect_only(2)
}

#[test]
fn loom_racy() {
    let report = common::explore(&scenario("b01::unlock_too_early", true), &common::loom());
    report.assert_racy(Some(FailureKind::DataRace));
}

#[test]
fn shuttle_racy() {
    let report = common::explore(&scenario("b01::unlock_too_early", true), &common::shuttle());
    report.assert_racy(Some(FailureKind::ForbiddenOutcome));
}

#[test]
fn loom_control_unlock_last() {
    common::explore(&scenario("b01::unlock_last", false), &common::loom()).assert_holds();
}

#[test]
fn shuttle_control_unlock_last() {
    common::explore(&scenario("b01::unlock_last", false), &common::shuttle()).assert_holds();
}

#[test]
fn loom_control_mutex() {
    common::explore(&mutex_control(), &common::loom()).assert_holds();
}

#[test]
fn shuttle_control_mutex() {
    common::explore(&mutex_control(), &common::shuttle()).assert_holds();
}
