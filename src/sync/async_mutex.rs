//! An async mutex on whichever backend is current: its guard may be held
//! across an `.await` (a std `MutexGuard` may not: it is not `Send`, and a
//! task that sleeps holding it blocks the whole thread).
//!
//! Built from the facade's own [`Mutex`](super::Mutex), so it runs and is
//! recorded under every backend: the value lives in a `Mutex<Option<T>>`;
//! [`Mutex::lock`] takes it out (the lock is held while the slot is empty),
//! and the guard's drop puts it back. A task that finds the slot empty
//! awaits [`suspend`](super::task::suspend) and tries again, so a waiting
//! task never blocks its thread and never holds the inner lock across an
//! `.await`.
//!
//! Cost: waiters poll instead of queueing (no fairness, a busy wait while
//! the lock is contended). `tokio::sync::Mutex` queues waiters and wakes
//! them in order; this one is the smallest thing that is correct under all
//! three backends, which is what a model-checked scenario needs.

use std::ops::{Deref, DerefMut};

use super::task::suspend;

/// An async mutex: `lock().await`, keep the guard across `.await`s, drop it.
#[derive(Debug)]
pub struct Mutex<T> {
    slot: super::Mutex<Option<T>>,
    name: &'static str,
}

/// Holds the async lock (and the value); gives both back when dropped.
#[derive(Debug)]
pub struct MutexGuard<'a, T> {
    lock: &'a Mutex<T>,
    value: Option<T>,
}

impl<T> Mutex<T> {
    /// A new async mutex on the current backend, shown in timelines as
    /// `name`.
    #[track_caller]
    pub fn new(value: T, name: &'static str) -> Self {
        Mutex {
            slot: super::Mutex::new_untraced(Some(value)).named(name),
            name,
        }
    }

    /// Takes the value out if it is there: the lock is ours.
    fn try_take(&self) -> Option<T> {
        self.slot.lock().unwrap_or_else(|p| p.into_inner()).take()
    }

    /// Waits, without blocking the thread, until the lock is free; takes it.
    pub async fn lock(&self) -> MutexGuard<'_, T> {
        loop {
            if let Some(value) = self.try_take() {
                return MutexGuard {
                    lock: self,
                    value: Some(value),
                };
            }
            suspend(self.name).await;
        }
    }

    /// Takes the lock if it is free right now.
    pub fn try_lock(&self) -> Option<MutexGuard<'_, T>> {
        self.try_take().map(|value| MutexGuard {
            lock: self,
            value: Some(value),
        })
    }
}

impl<T> Deref for MutexGuard<'_, T> {
    type Target = T;

    fn deref(&self) -> &T {
        // `value` is `None` only inside `drop`.
        self.value
            .as_ref()
            .unwrap_or_else(|| unreachable!("a live guard holds the value"))
    }
}

impl<T> DerefMut for MutexGuard<'_, T> {
    fn deref_mut(&mut self) -> &mut T {
        self.value
            .as_mut()
            .unwrap_or_else(|| unreachable!("a live guard holds the value"))
    }
}

impl<T> Drop for MutexGuard<'_, T> {
    fn drop(&mut self) {
        let mut slot = self.lock.slot.lock().unwrap_or_else(|p| p.into_inner());
        *slot = self.value.take();
    }
}
