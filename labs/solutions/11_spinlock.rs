//! Lab 11 — reference solution: take the lock with `Acquire`, release it with `Release`.

use racelab::sync::atomic::{AtomicBool, Ordering};
use racelab::sync::cell::UnsafeCell;
use racelab::sync::hint;

/// A lock that spins until it is free.
pub struct SpinLock<T> {
    locked: AtomicBool,
    value: UnsafeCell<T>,
}

// SAFETY: the value is reached only through a `Guard`, and the
// compare-exchange in `lock` lets one guard exist at a time. The `Release`
// store that drops a guard and the `Acquire` compare-exchange that next
// takes the lock order every access of one holder before the next
// holder's, so `T` is shared between threads one at a time (`T: Send`).
unsafe impl<T: Send> Sync for SpinLock<T> {}

impl<T> SpinLock<T> {
    /// An unlocked lock holding `value`.
    pub fn new(value: T) -> Self {
        let value = UnsafeCell::new(value).named("value");
        SpinLock {
            locked: AtomicBool::new(false).named("locked"),
            value,
        }
    }

    /// Spins until the lock is free, then takes it.
    pub fn lock(&self) -> Guard<'_, T> {
        // Acquire: see everything the previous holder wrote before its
        // Release store of `false`. A failed attempt takes nothing: Relaxed.
        while self
            .locked
            .compare_exchange_weak(false, true, Ordering::Acquire, Ordering::Relaxed)
            .is_err()
        {
            hint::spin_loop();
        }
        Guard { lock: self }
    }
}

/// Holds the lock; releases it when dropped.
pub struct Guard<'a, T> {
    lock: &'a SpinLock<T>,
}

impl<T> Guard<'_, T> {
    /// Reads the value.
    pub fn with<R>(&self, f: impl FnOnce(&T) -> R) -> R {
        // SAFETY: this guard holds the lock (see the `Sync` impl).
        self.lock.value.with(|p| f(unsafe { &*p }))
    }

    /// Changes the value.
    pub fn with_mut<R>(&mut self, f: impl FnOnce(&mut T) -> R) -> R {
        // SAFETY: this guard holds the lock, and `&mut self` makes this the
        // only access through it (see the `Sync` impl).
        self.lock.value.with_mut(|p| f(unsafe { &mut *p }))
    }
}

impl<T> Drop for Guard<'_, T> {
    fn drop(&mut self) {
        // Release: this holder's accesses happen-before the next Acquire.
        self.lock.locked.store(false, Ordering::Release);
    }
}
