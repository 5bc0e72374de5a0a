//! loom's known false alarm, tokio-rs/loom#254: a plain store could slip
//! between a read-modify-write's read and its write, so a correct spin lock
//! taken with `swap` was reported as a livelock (`step limit`). The facade
//! puts such a store after the read-modify-write (see `src/sync/atomic.rs`);
//! these must hold under loom.
#![cfg(feature = "loom")]

use racelab::explore::{Explorer, Scenario};
use racelab::sync::atomic::{AtomicBool, Ordering::*};
use racelab::sync::cell::UnsafeCell;
use racelab::sync::{hint, thread, Arc};

/// A swap and a concurrent store: the swap reads the value before the store
/// or the store comes after it, so the swap's `false` and a final `false`
/// cannot both be seen (the issue's own example).
#[test]
fn a_swap_and_a_store_never_both_seem_first() {
    Scenario::new("swap vs store", || {
        let flag = Arc::new(AtomicBool::new(false).named("flag"));
        let f = Arc::clone(&flag);
        let th = thread::spawn(move || f.swap(false, Relaxed));
        flag.store(true, Relaxed);
        let before_swap = th.join().unwrap();
        let last = flag.load(Relaxed);
        format!("swap read {before_swap}, last value {last}")
    })
    .expect("not both false", |o: &String| {
        if o == "swap read false, last value false" {
            racelab::explore::Grade::Forbidden
        } else {
            racelab::explore::Grade::Acceptable
        }
    })
    .explore(&Explorer::loom())
    .unwrap()
    .assert_holds();
}

struct SwapLock {
    locked: AtomicBool,
    value: UnsafeCell<u64>,
}

// SAFETY: `value` is reached only between an Acquire swap that read `false`
// and the Release store of `false` that ends the critical section.
unsafe impl Sync for SwapLock {}

impl SwapLock {
    fn add_one(&self) {
        while self.locked.swap(true, Acquire) {
            hint::spin_loop();
        }
        // SAFETY: this thread holds the lock.
        self.value.with_mut(|p| unsafe { *p += 1 });
        self.locked.store(false, Release);
    }
}

/// A spin lock taken with `swap(true, Acquire)` and released with
/// `store(false, Release)` is correct: no data race, no livelock, both
/// increments seen.
#[test]
fn a_spin_lock_taken_with_swap_holds() {
    Scenario::new("swap spin lock", || {
        let lock = Arc::new(SwapLock {
            locked: AtomicBool::new(false).named("locked"),
            value: UnsafeCell::new(0).named("value"),
        });
        let l = Arc::clone(&lock);
        let t = thread::spawn(move || l.add_one());
        lock.add_one();
        t.join().unwrap();
        while lock.locked.swap(true, Acquire) {
            hint::spin_loop();
        }
        // SAFETY: both threads are done and this one holds the lock.
        lock.value.with(|p| unsafe { *p })
    })
    .expect_only(2)
    .explore(&Explorer::loom())
    .unwrap()
    .assert_holds();
}
