// RIGHT: a Relaxed compare-exchange followed by an Acquire fence, and a Release fence before the Relaxed store, synchronise like Acquire and Release.
use racelab::sync::atomic::{fence, AtomicBool, Ordering};
use racelab::sync::cell::UnsafeCell;
use racelab::sync::hint;

/// A lock that spins until it is free.
pub struct SpinLock<T> {
    locked: AtomicBool,
    value: UnsafeCell<T>,
}

// SAFETY: one guard at a time (the flag goes false -> true for one taker),
// and, through the orderings named in the first line, each holder's accesses
// happen-before the next holder's.
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
        while self
            .locked
            .compare_exchange_weak(false, true, Ordering::Relaxed, Ordering::Relaxed)
            .is_err()
        {
            hint::spin_loop();
        }
        fence(Ordering::Acquire);
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
        fence(Ordering::Release);
        self.lock.locked.store(false, Ordering::Relaxed);
    }
}
