//! `Mutex` with the std API, on whichever backend is current.

use std::ops::{Deref, DerefMut};
use std::sync::{LockResult, PoisonError, TryLockError, TryLockResult};

use super::backend::{construct, dispatch};
use crate::trace::{self, Op, Target};

/// `std::sync::Mutex` on the current backend; `lock` and `unlock` (the
/// guard's drop) are recorded under the model backends.
pub struct Mutex<T> {
    inner: Inner<T>,
    target: Target,
}

enum Inner<T> {
    Std(std::sync::Mutex<T>),
    #[cfg(feature = "shuttle")]
    Shuttle(shuttle::sync::Mutex<T>),
    #[cfg(feature = "loom")]
    Loom(loom::sync::Mutex<T>),
}

/// Holds the lock; unlocks when dropped.
pub struct MutexGuard<'a, T> {
    // `None` only while a `Condvar` has the lock.
    pub(super) inner: Option<GuardInner<'a, T>>,
    pub(super) target: Target,
}

pub(super) enum GuardInner<'a, T> {
    Std(std::sync::MutexGuard<'a, T>),
    #[cfg(feature = "shuttle")]
    Shuttle(shuttle::sync::MutexGuard<'a, T>),
    #[cfg(feature = "loom")]
    Loom(loom::sync::MutexGuard<'a, T>),
}

/// Maps a backend's lock result onto ours (poisoning is kept).
pub(super) fn map_lock<G, W>(r: LockResult<G>, wrap: impl FnOnce(G) -> W) -> LockResult<W> {
    match r {
        Ok(g) => Ok(wrap(g)),
        Err(p) => Err(PoisonError::new(wrap(p.into_inner()))),
    }
}

/// Maps a backend's try-lock result onto ours.
pub(super) fn map_try_lock<G, W>(r: TryLockResult<G>, wrap: impl FnOnce(G) -> W) -> TryLockResult<W> {
    match r {
        Ok(g) => Ok(wrap(g)),
        Err(TryLockError::Poisoned(p)) => Err(TryLockError::Poisoned(PoisonError::new(wrap(p.into_inner())))),
        Err(TryLockError::WouldBlock) => Err(TryLockError::WouldBlock),
    }
}

impl<T> Mutex<T> {
    /// A new mutex on the current backend, named by where it is created.
    #[track_caller]
    pub fn new(value: T) -> Self {
        Mutex {
            inner: construct!(
                Inner,
                std::sync::Mutex::new(value),
                shuttle::sync::Mutex::new(value),
                loom::sync::Mutex::new(value)
            ),
            target: Target::caller(),
        }
    }

    /// Gives the mutex the name timelines show.
    pub fn named(mut self, name: &'static str) -> Self {
        self.target = Target::Name(name);
        self
    }

    fn wrap<'a>(&self, g: GuardInner<'a, T>) -> MutexGuard<'a, T> {
        if !matches!(g, GuardInner::Std(_)) {
            trace::record(Op::Lock, self.target, None);
        }
        MutexGuard {
            inner: Some(g),
            target: self.target,
        }
    }

    /// Blocks until the lock is free, then takes it.
    pub fn lock(&self) -> LockResult<MutexGuard<'_, T>> {
        if !matches!(self.inner, Inner::Std(_)) {
            trace::waiting(Op::Lock, self.target);
        }
        match &self.inner {
            Inner::Std(m) => map_lock(m.lock(), |g| self.wrap(GuardInner::Std(g))),
            #[cfg(feature = "shuttle")]
            Inner::Shuttle(m) => map_lock(m.lock(), |g| self.wrap(GuardInner::Shuttle(g))),
            #[cfg(feature = "loom")]
            Inner::Loom(m) => map_lock(m.lock(), |g| self.wrap(GuardInner::Loom(g))),
        }
    }

    /// Takes the lock if it is free, without blocking.
    pub fn try_lock(&self) -> TryLockResult<MutexGuard<'_, T>> {
        let r = match &self.inner {
            Inner::Std(m) => map_try_lock(m.try_lock(), |g| self.wrap(GuardInner::Std(g))),
            #[cfg(feature = "shuttle")]
            Inner::Shuttle(m) => map_try_lock(m.try_lock(), |g| self.wrap(GuardInner::Shuttle(g))),
            #[cfg(feature = "loom")]
            Inner::Loom(m) => map_try_lock(m.try_lock(), |g| self.wrap(GuardInner::Loom(g))),
        };
        if matches!(r, Err(TryLockError::WouldBlock)) && !matches!(self.inner, Inner::Std(_)) {
            trace::record(Op::TryLockFailed, self.target, None);
        }
        r
    }

    /// Consumes the mutex and returns the value.
    pub fn into_inner(self) -> LockResult<T> {
        dispatch!(self.inner, Inner, m => m.into_inner())
    }

    /// The value, through a unique reference (no locking needed).
    pub fn get_mut(&mut self) -> LockResult<&mut T> {
        dispatch!(&mut self.inner, Inner, m => m.get_mut())
    }
}

impl<T: Default> Default for Mutex<T> {
    #[track_caller]
    fn default() -> Self {
        Mutex::new(T::default())
    }
}

impl<T> std::fmt::Debug for Mutex<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Mutex")
            .field("target", &self.target.to_string())
            .finish_non_exhaustive()
    }
}

impl<T> MutexGuard<'_, T> {
    fn get(&self) -> &GuardInner<'_, T> {
        self.inner.as_ref().expect("a guard is only empty inside Condvar::wait")
    }
}

impl<T> Deref for MutexGuard<'_, T> {
    type Target = T;
    fn deref(&self) -> &T {
        dispatch!(self.get(), GuardInner, g => g)
    }
}

impl<T> DerefMut for MutexGuard<'_, T> {
    fn deref_mut(&mut self) -> &mut T {
        let g = self.inner.as_mut().expect("a guard is only empty inside Condvar::wait");
        dispatch!(g, GuardInner, g => &mut *g)
    }
}

impl<T> Drop for MutexGuard<'_, T> {
    fn drop(&mut self) {
        // Recorded before the backend guard releases the lock, so the unlock
        // always precedes the next thread's lock in the timeline.
        if matches!(self.inner, Some(ref g) if !matches!(g, GuardInner::Std(_))) {
            trace::record(Op::Unlock, self.target, None);
        }
    }
}

impl<T: std::fmt::Debug> std::fmt::Debug for MutexGuard<'_, T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        std::fmt::Debug::fmt(&**self, f)
    }
}
