// RIGHT: a ticket lock: each thread draws a number and spins until it is served; the Release increment of `serving` hands over to the Acquire load that sees it.
use racelab::sync::atomic::{AtomicUsize, Ordering};
use racelab::sync::cell::UnsafeCell;
use racelab::sync::hint;

/// A lock that spins until it is free.
pub struct SpinLock<T> {
    /// The next ticket to hand out.
    next: AtomicUsize,
    /// The ticket allowed in.
    serving: AtomicUsize,
    value: UnsafeCell<T>,
}

// SAFETY: only the holder of the ticket equal to `serving` reaches the
// value, and the Release increment of `serving` that ends one holder's turn
// happens-before the Acquire load that starts the next one's, so `T` is
// shared between threads one at a time (`T: Send`).
unsafe impl<T: Send> Sync for SpinLock<T> {}

impl<T> SpinLock<T> {
    /// An unlocked lock holding `value`.
    pub fn new(value: T) -> Self {
        SpinLock {
            next: AtomicUsize::new(0).named("next"),
            serving: AtomicUsize::new(0).named("serving"),
            value: UnsafeCell::new(value).named("value"),
        }
    }

    /// Spins until the lock is free, then takes it.
    pub fn lock(&self) -> Guard<'_, T> {
        let ticket = self.next.fetch_add(1, Ordering::Relaxed);
        while self.serving.load(Ordering::Acquire) != ticket {
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
        // Only the holder changes `serving`: no increment is lost.
        self.lock.serving.fetch_add(1, Ordering::Release);
    }
}
