//! `Mutex` with the std API, on whichever backend is current.
//!
//! Under a model backend every `lock` records the value it found and every
//! `unlock` after a mutable dereference of the guard records the value it
//! left (even an unchanged one): so a timeline shows each write, and the
//! lost-update analysis sees every read and write made under the lock.
//! Values are shown as their `Debug` text, which is why [`Mutex::new`] asks
//! for `T: Debug`; [`Mutex::new_untraced`] takes any `T` and shows only
//! that the value was written.
//!
//! Cost: on hardware, one branch per operation and a flag set on each
//! `deref_mut`. Under a model, a `Debug` formatting per lock and per
//! unlock that wrote.

use std::ops::{Deref, DerefMut};
use std::sync::{LockResult, PoisonError, TryLockError, TryLockResult};

use super::backend::{construct, dispatch};
use crate::trace::{self, Op, Target};

/// `std::sync::Mutex` on the current backend; `lock` and `unlock` (the
/// guard's drop) are recorded under the model backends.
pub struct Mutex<T> {
    inner: Inner<T>,
    target: Target,
    show: Option<Show<T>>,
}

/// Formats a lock's value for timelines (see [`Mutex::new`]).
pub(super) type Show<T> = fn(&T) -> String;

/// The value's `Debug` text: what timelines show of a lock's value.
pub(super) fn show_debug<T: std::fmt::Debug>(value: &T) -> String {
    format!("{value:?}")
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
    pub(super) show: Option<Show<T>>,
    /// Whether the value was mutably dereferenced since it was (re)locked:
    /// the unlock then records a write.
    pub(super) written: bool,
    /// Whether the value was read through the guard (`Deref`) since it was
    /// (re)locked: the unlock then records that the section read what it
    /// found, so a write in it is informed (an update under the lock), not
    /// a value computed before the lock was taken.
    pub(super) looked: std::cell::Cell<bool>,
    /// The value as the lock found it (shown values, model backends).
    pub(super) found: Option<String>,
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
    /// Timelines show its value (its `Debug` text) at every lock, and at
    /// every unlock of a guard that was mutably dereferenced.
    #[track_caller]
    pub fn new(value: T) -> Self
    where
        T: std::fmt::Debug,
    {
        Self::build(value, Some(show_debug::<T>))
    }

    /// A new mutex for a value with no `Debug`: timelines show its locks,
    /// and `(written)` at an unlock after a mutable dereference, but not the
    /// value (so the lost-update analysis cannot see it either).
    #[track_caller]
    pub fn new_untraced(value: T) -> Self {
        Self::build(value, None)
    }

    #[track_caller]
    fn build(value: T, show: Option<Show<T>>) -> Self {
        Mutex {
            inner: construct!(
                Inner,
                std::sync::Mutex::new(value),
                shuttle::sync::Mutex::new(value),
                loom::sync::Mutex::new(value)
            ),
            target: Target::caller(),
            show,
        }
    }

    /// Gives the mutex the name timelines show.
    pub fn named(mut self, name: impl AsRef<str>) -> Self {
        self.target = Target::name(name);
        self
    }

    /// Kept for compatibility: [`Mutex::new`] already shows the value in
    /// timelines (`lock` lines show what the thread found, `unlock` lines
    /// what it left). A thread that read the value (under a lock, or with
    /// [`Mutex::get_cloned`]) and later replaced it, over a change it never
    /// saw, is marked as a lost update like a racy atomic. On a mutex made
    /// with [`Mutex::new_untraced`] this turns the values on.
    pub fn traced(mut self) -> Self
    where
        T: std::fmt::Debug,
    {
        self.show = Some(show_debug::<T>);
        self
    }

    fn wrap<'a>(&self, g: GuardInner<'a, T>) -> MutexGuard<'a, T> {
        self.wrap_noted(g, None)
    }

    /// A guard for `g`, its `lock` line carrying `note`.
    fn wrap_noted<'a>(&self, g: GuardInner<'a, T>, note: Option<&str>) -> MutexGuard<'a, T> {
        let mut guard = MutexGuard {
            inner: Some(g),
            target: self.target,
            show: self.show,
            written: false,
            looked: std::cell::Cell::new(false),
            found: None,
        };
        guard.record_lock(note);
        guard
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
        const TRY: Option<&str> = Some("(try_lock)");
        let r = match &self.inner {
            Inner::Std(m) => map_try_lock(m.try_lock(), |g| self.wrap_noted(GuardInner::Std(g), TRY)),
            #[cfg(feature = "shuttle")]
            Inner::Shuttle(m) => map_try_lock(m.try_lock(), |g| self.wrap_noted(GuardInner::Shuttle(g), TRY)),
            #[cfg(feature = "loom")]
            Inner::Loom(m) => map_try_lock(m.try_lock(), |g| self.wrap_noted(GuardInner::Loom(g), TRY)),
        };
        if matches!(r, Err(TryLockError::WouldBlock)) && !matches!(self.inner, Inner::Std(_)) {
            trace::record(Op::TryLockFailed, self.target, None);
        }
        r
    }

    /// Locks, runs `f` on the value, unlocks: one step in timelines.
    fn locked<R>(&self, f: impl FnOnce(&mut T) -> R) -> LockResult<R> {
        fn apply<G: DerefMut<Target = T>, T, R>(r: LockResult<G>, f: impl FnOnce(&mut T) -> R) -> LockResult<R> {
            match r {
                Ok(mut g) => Ok(f(&mut g)),
                Err(p) => Err(PoisonError::new(f(&mut p.into_inner()))),
            }
        }
        if !matches!(self.inner, Inner::Std(_)) {
            trace::waiting(Op::Lock, self.target);
        }
        dispatch!(&self.inner, Inner, m => apply(m.lock(), f))
    }

    /// A copy of the value, taken under the lock (std's unstable
    /// `lock_value_accessors`). Recorded as one `load` of the mutex.
    pub fn get_cloned(&self) -> LockResult<T>
    where
        T: Clone,
    {
        let show = self.show;
        let r = self.locked(|v| (v.clone(), show.map(|s| s(v))));
        let (value, read) = match &r {
            Ok(x) => (x.0.clone(), x.1.clone()),
            Err(p) => (p.get_ref().0.clone(), p.get_ref().1.clone()),
        };
        if !matches!(self.inner, Inner::Std(_)) {
            let text = read.as_ref().map(|v| format!("-> {v}"));
            trace::record_access(Op::Load, self.target, text, read, None);
        }
        match r {
            Ok(_) => Ok(value),
            Err(_) => Err(PoisonError::new(value)),
        }
    }

    /// Replaces the value under the lock, whatever it was (std's unstable
    /// `lock_value_accessors`). Recorded as one `store` to the mutex.
    pub fn set(&self, value: T) -> LockResult<()> {
        let show = self.show;
        let r = self.locked(|v| {
            *v = value;
            show.map(|s| s(v))
        });
        let wrote = match &r {
            Ok(w) => w.clone(),
            Err(p) => p.get_ref().clone(),
        };
        if !matches!(self.inner, Inner::Std(_)) {
            let text = wrote.as_ref().map(|v| format!("<- {v}"));
            trace::record_access(Op::Store, self.target, text, None, wrote);
        }
        r.map(|_| ()).map_err(|_| PoisonError::new(()))
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

impl<T: Default + std::fmt::Debug> Default for Mutex<T> {
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

    pub(super) fn is_model(&self) -> bool {
        matches!(self.inner, Some(ref g) if !matches!(g, GuardInner::Std(_)))
    }

    /// The value, without marking it read.
    fn value_ref(&self) -> &T {
        dispatch!(self.get(), GuardInner, g => g)
    }

    /// The value, without marking it written.
    pub(super) fn value_mut(&mut self) -> &mut T {
        let g = self.inner.as_mut().expect("a guard is only empty inside Condvar::wait");
        dispatch!(g, GuardInner, g => &mut *g)
    }

    /// Records taking the lock (and, shown, the value found).
    pub(super) fn record_lock(&mut self, note: Option<&str>) {
        self.written = false;
        if !self.is_model() {
            return;
        }
        let read = self.show.map(|show| show(self.value_ref()));
        self.looked.set(false);
        self.found.clone_from(&read);
        // A `Mutex<()>` guards no value: `lock m`, not `lock m -> ()`.
        let shown = read.as_deref().filter(|v| *v != "()");
        let value = match (shown, note) {
            (Some(v), Some(n)) => Some(format!("-> {v} {n}")),
            (Some(v), None) => Some(format!("-> {v}")),
            (None, n) => n.map(str::to_owned),
        };
        trace::record_access(Op::Lock, self.target, value, read, None);
    }

    /// Records releasing the lock, and a write if the guard was mutably
    /// dereferenced (the value left, or `(written)` when it is not shown).
    pub(super) fn record_unlock(&mut self, op: Op, note: Option<String>) {
        if !self.is_model() {
            return;
        }
        let show = self.show;
        let (text, wrote) = unlock_text(self.written, show.map(|show| show(self.value_ref())));
        // A section that read the value records what it read.
        let read = self.looked.get().then(|| self.found.clone().unwrap_or_default());
        let value = match (text, note) {
            (Some(t), Some(n)) => Some(format!("{t} {n}")),
            (t, None) => t,
            (None, n) => n,
        };
        trace::record_access(op, self.target, value, read, wrote);
    }
}

impl<T> Deref for MutexGuard<'_, T> {
    type Target = T;
    fn deref(&self) -> &T {
        self.looked.set(true);
        self.value_ref()
    }
}

impl<T> DerefMut for MutexGuard<'_, T> {
    fn deref_mut(&mut self) -> &mut T {
        self.written = true;
        self.value_mut()
    }
}

impl<T> Drop for MutexGuard<'_, T> {
    fn drop(&mut self) {
        // Recorded before the backend guard releases the lock, so the unlock
        // always precedes the next thread's lock in the timeline.
        self.record_unlock(Op::Unlock, None);
    }
}

impl<T: std::fmt::Debug> std::fmt::Debug for MutexGuard<'_, T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        std::fmt::Debug::fmt(&**self, f)
    }
}

/// What an unlock shows and records as written: nothing if the guard was
/// never mutably dereferenced; else `<- value` (and the value, for the
/// analysis) when it is shown, `(written)` when it is not.
pub(super) fn unlock_text(written: bool, shown: Option<String>) -> (Option<String>, Option<String>) {
    match (written, shown) {
        (false, _) => (None, None),
        (true, Some(v)) => (Some(format!("<- {v}")), Some(v)),
        (true, None) => (Some("(written)".to_owned()), None),
    }
}
