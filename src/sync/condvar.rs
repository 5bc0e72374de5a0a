//! `Condvar` with the std API, on whichever backend is current.

use std::sync::LockResult;

use super::backend::{construct, dispatch};
use super::mutex::{map_lock, GuardInner, MutexGuard};
use crate::trace::{self, Op, Target};

/// `std::sync::Condvar` on the current backend. Use it with a facade
/// [`Mutex`](super::Mutex) built under the same backend.
pub struct Condvar {
    inner: Inner,
    target: Target,
}

enum Inner {
    Std(std::sync::Condvar),
    #[cfg(feature = "shuttle")]
    Shuttle(shuttle::sync::Condvar),
    #[cfg(feature = "loom")]
    Loom(loom::sync::Condvar),
}

impl Condvar {
    /// A new condition variable on the current backend.
    #[track_caller]
    pub fn new() -> Self {
        Condvar {
            inner: construct!(
                Inner,
                std::sync::Condvar::new(),
                shuttle::sync::Condvar::new(),
                loom::sync::Condvar::new()
            ),
            target: Target::caller(),
        }
    }

    /// Gives the condition variable the name timelines show.
    pub fn named(mut self, name: impl AsRef<str>) -> Self {
        self.target = Target::name(name);
        self
    }

    /// Releases the guard's lock, waits for a notification, and re-locks.
    /// Wakeups may be spurious: wait in a loop, or use [`Condvar::wait_while`].
    pub fn wait<'a, T>(&self, guard: MutexGuard<'a, T>) -> LockResult<MutexGuard<'a, T>> {
        self.wait_as(guard, Op::Wait)
    }

    /// [`Condvar::wait`], shown while blocked as waiting in `op` (a
    /// semaphore's `acquire`, a bounded channel's `send`) on this condvar's
    /// target, for primitives built on a condvar.
    pub(super) fn wait_as<'a, T>(&self, mut guard: MutexGuard<'a, T>, op: Op) -> LockResult<MutexGuard<'a, T>> {
        let (target, show) = (guard.target, guard.show);
        guard.record_unlock(Op::Wait, Some(format!("on {}", self.target)));
        if guard.inner.as_ref().is_some_and(|g| !matches!(g, GuardInner::Std(_))) {
            trace::waiting(op, self.target);
        }
        let inner = guard.inner.take().expect("a guard is only empty inside Condvar::wait");
        let rewrap = |g| MutexGuard {
            inner: Some(g),
            target,
            show,
            written: false,
            looked: std::cell::Cell::new(false),
            found: None,
        };
        let result = match (&self.inner, inner) {
            (Inner::Std(c), GuardInner::Std(g)) => map_lock(c.wait(g), |g| rewrap(GuardInner::Std(g))),
            #[cfg(feature = "shuttle")]
            (Inner::Shuttle(c), GuardInner::Shuttle(g)) => map_lock(c.wait(g), |g| rewrap(GuardInner::Shuttle(g))),
            #[cfg(feature = "loom")]
            (Inner::Loom(c), GuardInner::Loom(g)) => map_lock(c.wait(g), |g| rewrap(GuardInner::Loom(g))),
            #[allow(unreachable_patterns)]
            _ => panic!("a Condvar and a Mutex built under different backends were used together"),
        };
        match result {
            Ok(mut g) => {
                g.record_lock(Some("(woken)"));
                Ok(g)
            }
            Err(p) => {
                let mut g = p.into_inner();
                g.record_lock(Some("(woken)"));
                Err(std::sync::PoisonError::new(g))
            }
        }
    }

    /// Waits while `condition` holds. A check counts as a write of the
    /// value (recorded at the unlock) only if it changed the value's shown
    /// text: a condition that just looks writes nothing.
    pub fn wait_while<'a, T, F>(&self, mut guard: MutexGuard<'a, T>, mut condition: F) -> LockResult<MutexGuard<'a, T>>
    where
        F: FnMut(&mut T) -> bool,
    {
        // Only the models record, so only they pay for the comparison.
        let show = guard.show.filter(|_| guard.is_model());
        loop {
            let before = show.map(|s| s(guard.value_mut()));
            let holds = condition(guard.value_mut());
            guard.looked.set(true);
            if before.is_some() && before != show.map(|s| s(guard.value_mut())) {
                guard.written = true;
            }
            if !holds {
                return Ok(guard);
            }
            guard = self.wait(guard)?;
        }
    }

    /// Wakes one waiting thread.
    pub fn notify_one(&self) {
        dispatch!(&self.inner, Inner, c => c.notify_one());
        self.record_notify("one");
    }

    /// Wakes every waiting thread.
    pub fn notify_all(&self) {
        dispatch!(&self.inner, Inner, c => c.notify_all());
        self.record_notify("all");
    }

    fn record_notify(&self, whom: &str) {
        if !matches!(self.inner, Inner::Std(_)) {
            trace::record(Op::Notify, self.target, Some(format!("({whom})")));
        }
    }
}

impl Default for Condvar {
    #[track_caller]
    fn default() -> Self {
        Condvar::new()
    }
}

impl std::fmt::Debug for Condvar {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Condvar")
            .field("target", &self.target.to_string())
            .finish_non_exhaustive()
    }
}
