//! Lab 11 — a spin lock that does not lock memory.
//!
//! The lecture's GIL is a lock: only one thread runs at a time. This is the
//! smallest lock there is: a flag that says "taken", set by a
//! compare-exchange `false -> true` and cleared by a store of `false`, while
//! waiters spin. The check has two threads, then three, each add one to a
//! counter kept in the lock.
//!
//! Edit only this file. Check it with `racelab check 11`.

use racelab::sync::atomic::{AtomicBool, Ordering};
use racelab::sync::cell::UnsafeCell;
use racelab::sync::hint;

/// A lock that spins until it is free.
pub struct SpinLock<T> {
    locked: AtomicBool,
    value: UnsafeCell<T>,
}

// SAFETY: the value is reached only through a `Guard`, and the
// compare-exchange in `lock` lets one guard exist at a time. That shares `T`
// between threads soundly only if each holder's accesses happen-before the
// next holder's, which the `Relaxed` orderings below do NOT ensure: as
// written, this is unsound — a data race on `value`.
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
        // TODO: only one thread at a time gets past this loop, yet the
        // winner may still not see what the previous holder wrote into
        // `value` (and `Drop` below has the matching problem).
        while self
            .locked
            .compare_exchange_weak(false, true, Ordering::Relaxed, Ordering::Relaxed)
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
        self.lock.locked.store(false, Ordering::Relaxed);
    }
}
