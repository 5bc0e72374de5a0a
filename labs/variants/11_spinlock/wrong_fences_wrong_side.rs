// WRONG: an Acquire fence before the Relaxed compare-exchange and a Release fence after the Relaxed store order nothing a holder did.
use racelab::sync::atomic::{fence, AtomicBool, Ordering};
use racelab::sync::cell::UnsafeCell;
use racelab::sync::hint;

/// A lock that spins until it is free.
pub struct SpinLock<T> {
    locked: AtomicBool,
    value: UnsafeCell<T>,
}

// SAFETY: (claimed) one guard at a time, and each holder's accesses
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
        fence(Ordering::Acquire);
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
        fence(Ordering::Release);
    }
}
