//! A spin lock: an `AtomicBool` that says "taken", guarding an
//! `UnsafeCell`; and three ways to get it wrong, side by side.
//!
//! Lecture section *GIL*: the GIL is a lock; this is the smallest lock
//! there is. Taking it is a compare-exchange `false -> true`; releasing it
//! is a store of `false`. What makes it a lock is ordering: the `Acquire`
//! of the taking compare-exchange must see everything the previous holder
//! wrote before its `Release` store (Mara Bos, *Rust Atomics and Locks*,
//! ch. 4). Variants ([`Kind`]):
//! - `relaxed_acquire`: takes the lock with `Relaxed`. Mutual exclusion
//!   holds, yet the next holder may read the value as it was before the
//!   previous holder's writes: loom reports a `data race`;
//! - `relaxed_release`: releases with `Relaxed`. Same race, other side;
//! - `no_yield`: correct orderings, but spins without `hint::spin_loop`:
//!   on a model (and on a machine with fewer cores than spinners) the
//!   holder may never get to run: the report names the step limit;
//! - `correct`: `Acquire` compare-exchange, `Release` store, a
//!   `spin_loop` hint (a yield under the models) while it waits, and a real
//!   yield after a hundred spins (with more threads than cores the holder
//!   may be waiting for the spinner's core: seen here as a test that took
//!   minutes on 2 cores under load).
//!
//! The value is reached only through the guard's `with` / `with_mut`, so
//! loom sees every access.
//!
//! Cost: uncontended, one compare-exchange and one store: cheaper than a
//! mutex. Contended, waiters burn CPU instead of sleeping, and on
//! oversubscribed cores they burn the holder's time slice:
//! `benches/locks.rs` puts it against std's and `parking_lot`'s `Mutex`.

use std::marker::PhantomData;

use crate::counter::Counter;
use crate::sync::atomic::{AtomicBool, Ordering};
use crate::sync::cell::UnsafeCell;
use crate::sync::{hint, thread};

/// Spins before a waiting thread yields its core.
const PATIENCE: u32 = 100;

/// How a [`SpinLock`] takes, releases and waits.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    /// Takes the lock with `Relaxed`: a data race.
    RelaxedAcquire,
    /// Releases the lock with `Relaxed`: a data race.
    RelaxedRelease,
    /// Spins without a hint: a livelock under the models.
    NoYield,
    /// Acquire, release, and a `spin_loop` hint.
    Correct,
}

impl Kind {
    /// Every kind, in catalogue order.
    pub const ALL: [Kind; 4] = [Kind::RelaxedAcquire, Kind::RelaxedRelease, Kind::NoYield, Kind::Correct];

    fn acquire(self) -> Ordering {
        if self == Kind::RelaxedAcquire {
            Ordering::Relaxed
        } else {
            Ordering::Acquire
        }
    }

    fn release(self) -> Ordering {
        if self == Kind::RelaxedRelease {
            Ordering::Relaxed
        } else {
            Ordering::Release
        }
    }
}

/// A lock that spins until it is free.
#[derive(Debug)]
pub struct SpinLock<T> {
    locked: AtomicBool,
    value: UnsafeCell<T>,
    kind: Kind,
}

// SAFETY: the value is reached only through a `Guard`, and only one guard
// exists at a time (the compare-exchange false -> true succeeds for one
// thread until the guard stores false). With `Kind::Correct` (and
// `NoYield`) the Release store and the next Acquire compare-exchange order
// every access of one holder before the next's, so sharing the lock shares
// `T` between threads one at a time (`T: Send`). With the two `Relaxed`
// kinds that ordering is missing: they are unsound on purpose, and loom
// stops at the first unordered access.
unsafe impl<T: Send> Sync for SpinLock<T> {}

impl<T> SpinLock<T> {
    /// An unlocked lock of `kind` holding `value`, on the current backend.
    #[track_caller]
    pub fn new(value: T, kind: Kind) -> Self {
        SpinLock {
            locked: AtomicBool::new(false).named("locked"),
            value: UnsafeCell::new(value).named("value"),
            kind,
        }
    }

    /// Spins until the lock is free, then takes it. After a while it
    /// yields instead: with more threads than cores the holder may be
    /// waiting for this very core.
    pub fn lock(&self) -> Guard<'_, T> {
        let mut spins = 0u32;
        while self
            .locked
            .compare_exchange_weak(false, true, self.kind.acquire(), Ordering::Relaxed)
            .is_err()
        {
            if self.kind == Kind::NoYield {
                continue;
            }
            spins += 1;
            if spins < PATIENCE {
                hint::spin_loop();
            } else {
                thread::yield_now();
            }
        }
        Guard {
            lock: self,
            _not_send: PhantomData,
        }
    }
}

/// Holds the lock; releases it when dropped.
#[derive(Debug)]
pub struct Guard<'a, T> {
    lock: &'a SpinLock<T>,
    // Like std's guards: released on the thread that took it.
    _not_send: PhantomData<*const ()>,
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
        // only access through it.
        self.lock.value.with_mut(|p| f(unsafe { &mut *p }))
    }
}

impl<T> Drop for Guard<'_, T> {
    fn drop(&mut self) {
        self.lock.locked.store(false, self.lock.kind.release());
    }
}

/// A counter behind a spin lock of kind [`Kind::ALL`]`[KIND]`, for the
/// counter scenario.
#[derive(Debug)]
pub struct SpinCounter<const KIND: usize> {
    lock: SpinLock<u64>,
}

impl<const KIND: usize> Counter for SpinCounter<KIND> {
    fn new() -> Self {
        SpinCounter {
            lock: SpinLock::new(0, Kind::ALL[KIND]),
        }
    }

    fn increment(&self) {
        self.lock.lock().with_mut(|v| *v += 1);
    }

    fn get(&self) -> u64 {
        self.lock.lock().with(|v| *v)
    }
}
