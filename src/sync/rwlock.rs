//! `RwLock` with the std API, on whichever backend is current.
//!
//! Recorded like [`Mutex`](super::Mutex): under a model backend a read or
//! write lock records the value it found, and releasing a write guard that
//! was mutably dereferenced records the value it left, even unchanged.
//! [`RwLock::new`] asks for `T: Debug` to show values;
//! [`RwLock::new_untraced`] takes any `T`.
//!
//! Cost: on hardware, one branch per operation and a flag set on each
//! `deref_mut`; under a model, a `Debug` formatting per lock and per write.

use std::ops::{Deref, DerefMut};
use std::sync::LockResult;

use super::backend::{construct, dispatch};
use super::mutex::{map_lock, show_debug, unlock_text, Show};
use crate::trace::{self, Op, Target};

/// `std::sync::RwLock` on the current backend: many readers or one writer.
/// Read and write locking are recorded under the model backends.
pub struct RwLock<T> {
    inner: Inner<T>,
    target: Target,
    show: Option<Show<T>>,
}

enum Inner<T> {
    Std(std::sync::RwLock<T>),
    #[cfg(feature = "shuttle")]
    Shuttle(shuttle::sync::RwLock<T>),
    #[cfg(feature = "loom")]
    Loom(loom::sync::RwLock<T>),
}

/// Shared access; releases the read lock when dropped.
pub struct RwLockReadGuard<'a, T> {
    inner: ReadInner<'a, T>,
    target: Target,
}

enum ReadInner<'a, T> {
    Std(std::sync::RwLockReadGuard<'a, T>),
    #[cfg(feature = "shuttle")]
    Shuttle(shuttle::sync::RwLockReadGuard<'a, T>),
    #[cfg(feature = "loom")]
    Loom(loom::sync::RwLockReadGuard<'a, T>),
}

/// Exclusive access; releases the write lock when dropped.
pub struct RwLockWriteGuard<'a, T> {
    inner: WriteInner<'a, T>,
    target: Target,
    show: Option<Show<T>>,
    /// Whether the guard was mutably dereferenced (the unlock records a write).
    written: bool,
}

enum WriteInner<'a, T> {
    Std(std::sync::RwLockWriteGuard<'a, T>),
    #[cfg(feature = "shuttle")]
    Shuttle(shuttle::sync::RwLockWriteGuard<'a, T>),
    #[cfg(feature = "loom")]
    Loom(loom::sync::RwLockWriteGuard<'a, T>),
}

impl<T> RwLock<T> {
    /// A new lock on the current backend, named by where it is created.
    /// Timelines show its value (its `Debug` text) at every lock, and at
    /// every release of a write guard that was mutably dereferenced.
    #[track_caller]
    pub fn new(value: T) -> Self
    where
        T: std::fmt::Debug,
    {
        Self::build(value, Some(show_debug::<T>))
    }

    /// A new lock for a value with no `Debug`: timelines show its locks, and
    /// `(written)` where a write guard was mutably dereferenced.
    #[track_caller]
    pub fn new_untraced(value: T) -> Self {
        Self::build(value, None)
    }

    #[track_caller]
    fn build(value: T, show: Option<Show<T>>) -> Self {
        RwLock {
            inner: construct!(
                Inner,
                std::sync::RwLock::new(value),
                shuttle::sync::RwLock::new(value),
                loom::sync::RwLock::new(value)
            ),
            target: Target::caller(),
            show,
        }
    }

    /// Gives the lock the name timelines show.
    pub fn named(mut self, name: impl AsRef<str>) -> Self {
        self.target = Target::name(name);
        self
    }

    fn is_model(&self) -> bool {
        !matches!(self.inner, Inner::Std(_))
    }

    fn before(&self, op: Op) {
        if self.is_model() {
            trace::waiting(op, self.target);
        }
    }

    /// Records taking the lock, with the value found if it is shown.
    fn after(&self, op: Op, value: &T) {
        if self.is_model() {
            let read = self.show.map(|show| show(value));
            // An `RwLock<()>` guards no value: no `-> ()`.
            let text = read.as_deref().filter(|v| *v != "()").map(|v| format!("-> {v}"));
            trace::record_access(op, self.target, text, read, None);
        }
    }

    /// Blocks until no writer holds the lock, then shares it.
    pub fn read(&self) -> LockResult<RwLockReadGuard<'_, T>> {
        self.before(Op::ReadLock);
        let wrap = |inner| RwLockReadGuard {
            inner,
            target: self.target,
        };
        let r = match &self.inner {
            Inner::Std(l) => map_lock(l.read(), |g| wrap(ReadInner::Std(g))),
            #[cfg(feature = "shuttle")]
            Inner::Shuttle(l) => map_lock(l.read(), |g| wrap(ReadInner::Shuttle(g))),
            #[cfg(feature = "loom")]
            Inner::Loom(l) => map_lock(l.read(), |g| wrap(ReadInner::Loom(g))),
        };
        self.after(Op::ReadLock, held(&r));
        r
    }

    /// Blocks until nobody holds the lock, then takes it alone.
    pub fn write(&self) -> LockResult<RwLockWriteGuard<'_, T>> {
        self.before(Op::Lock);
        let wrap = |inner| RwLockWriteGuard {
            inner,
            target: self.target,
            show: self.show,
            written: false,
        };
        let r = match &self.inner {
            Inner::Std(l) => map_lock(l.write(), |g| wrap(WriteInner::Std(g))),
            #[cfg(feature = "shuttle")]
            Inner::Shuttle(l) => map_lock(l.write(), |g| wrap(WriteInner::Shuttle(g))),
            #[cfg(feature = "loom")]
            Inner::Loom(l) => map_lock(l.write(), |g| wrap(WriteInner::Loom(g))),
        };
        self.after(Op::Lock, held(&r));
        r
    }

    /// Consumes the lock and returns the value.
    pub fn into_inner(self) -> LockResult<T> {
        dispatch!(self.inner, Inner, l => l.into_inner())
    }
}

/// The value a lock result's guard holds, poisoned or not.
fn held<G: Deref>(r: &LockResult<G>) -> &G::Target {
    match r {
        Ok(g) => g,
        Err(p) => p.get_ref(),
    }
}

impl<T> std::fmt::Debug for RwLock<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RwLock")
            .field("target", &self.target.to_string())
            .finish_non_exhaustive()
    }
}

impl<T> Deref for RwLockReadGuard<'_, T> {
    type Target = T;
    fn deref(&self) -> &T {
        dispatch!(&self.inner, ReadInner, g => g)
    }
}

impl<T> Drop for RwLockReadGuard<'_, T> {
    fn drop(&mut self) {
        if !matches!(self.inner, ReadInner::Std(_)) {
            trace::record(Op::ReadUnlock, self.target, None);
        }
    }
}

impl<T> Deref for RwLockWriteGuard<'_, T> {
    type Target = T;
    fn deref(&self) -> &T {
        dispatch!(&self.inner, WriteInner, g => g)
    }
}

impl<T> DerefMut for RwLockWriteGuard<'_, T> {
    fn deref_mut(&mut self) -> &mut T {
        self.written = true;
        dispatch!(&mut self.inner, WriteInner, g => &mut *g)
    }
}

impl<T> Drop for RwLockWriteGuard<'_, T> {
    fn drop(&mut self) {
        if !matches!(self.inner, WriteInner::Std(_)) {
            let shown = self.show.map(|show| show(self));
            let (text, wrote) = unlock_text(self.written, shown);
            trace::record_access(Op::Unlock, self.target, text, None, wrote);
        }
    }
}
