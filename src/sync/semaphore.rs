//! A counting semaphore on whichever backend is current.
//!
//! Shows: `acquire` blocks while no permit is free, `release` gives one
//! back and wakes one waiter. loom has no semaphore, so this one is built
//! from the facade's own [`Mutex`] (the permit count) and [`Condvar`] (the
//! waiters), and the models see every step of it; a timeline shows each
//! operation as one line, `acquire <name> (n left)` or `release <name> (n
//! free)` (the lock and wait lines it is made of are folded into it), and a
//! thread that waits for ever shows as blocked on the semaphore, waiting
//! for a permit. A `release` happens before the `acquire` that takes its
//! permit, as an unlock before the next lock.
//!
//! Cost: every operation takes a lock; `release` notifies one waiter even
//! when none waits. There is no fairness: a releasing thread may take its
//! permit straight back.

use super::{Condvar, Mutex};
use crate::trace::{self, Op, Target};

/// A counting semaphore: `permits` threads at a time may hold a permit.
pub struct Semaphore {
    permits: Mutex<usize>,
    freed: Condvar,
    target: Target,
}

impl Semaphore {
    /// A semaphore with `permits` free permits, named by where it is created.
    #[track_caller]
    pub fn new(permits: usize) -> Self {
        let target = Target::caller();
        Semaphore {
            permits: Mutex::new(permits),
            freed: Condvar::new(),
            target,
        }
    }

    /// Gives the semaphore the name timelines show (its lock and condvar
    /// lines use it too).
    pub fn named(self, name: impl AsRef<str>) -> Self {
        let name = name.as_ref();
        Semaphore {
            permits: self.permits.named(name),
            freed: self.freed.named(name),
            target: Target::name(name),
        }
    }

    /// Blocks until a permit is free, then takes it.
    pub fn acquire(&self) {
        let fold = self.fold();
        let mut free = self.permits.lock().unwrap_or_else(|p| p.into_inner());
        while *free == 0 {
            free = self.freed.wait_as(free, Op::Acquire).unwrap_or_else(|p| p.into_inner());
        }
        *free -= 1;
        drop(fold);
        self.record(Op::Acquire, format!("({} left)", *free));
        let _fold = self.fold();
        drop(free);
    }

    /// Takes a permit if one is free, without blocking.
    pub fn try_acquire(&self) -> bool {
        let fold = self.fold();
        let mut free = self.permits.lock().unwrap_or_else(|p| p.into_inner());
        drop(fold);
        let took = *free > 0;
        if took {
            *free -= 1;
            self.record(Op::Acquire, format!("({} left)", *free));
        } else {
            self.record(Op::Acquire, "failed (0 left)".to_owned());
        }
        let _fold = self.fold();
        drop(free);
        took
    }

    /// Gives a permit back (even one this thread never took, as with
    /// counting semaphores everywhere) and wakes one waiter.
    pub fn release(&self) {
        let fold = self.fold();
        let mut free = self.permits.lock().unwrap_or_else(|p| p.into_inner());
        *free += 1;
        drop(fold);
        self.record(Op::Release, format!("({} free)", *free));
        let _fold = self.fold();
        drop(free);
        self.freed.notify_one();
    }

    /// The permits free right now (a snapshot: another thread may change it
    /// at once).
    pub fn available(&self) -> usize {
        let _fold = self.fold();
        let free = *self.permits.lock().unwrap_or_else(|p| p.into_inner());
        free
    }

    /// Under a model, hides the lock and condvar steps a semaphore
    /// operation is made of: the timeline shows the operation as one step.
    fn fold(&self) -> Option<trace::Folded> {
        super::backend::current().is_model().then(trace::fold)
    }

    fn record(&self, op: Op, value: String) {
        if super::backend::current().is_model() {
            trace::record(op, self.target, Some(value));
        }
    }
}

impl std::fmt::Debug for Semaphore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Semaphore")
            .field("target", &self.target.to_string())
            .finish_non_exhaustive()
    }
}
