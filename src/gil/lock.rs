//! The GIL: one lock that every bytecode of every thread runs under.
//!
//! Lecture section *GIL*. A thread that runs interpreted code holds the GIL
//! ([`Gil::enter`] gives it a [`Held`]); it runs one bytecode at a time
//! ([`Held::bytecode`]); after every `switch_interval` bytecodes it releases
//! the GIL and takes it back, so a waiting thread can get in between (CPython
//! asks the holder to drop it after a switch interval of 5 ms); and it
//! releases the GIL around a blocking call ([`Held::release_while`]), as
//! CPython does for I/O, `time.sleep` and `Lock.acquire`.
//!
//! Built on [`crate::sync::Mutex`], so the same GIL runs on real threads (the
//! speed-up measurements) and under shuttle and loom (the models, where
//! every release and retake is a point where the scheduler may switch
//! threads, and shows in the timeline as `unlock GIL` / `lock GIL`).
//!
//! **Fairness.** On hardware the lock is `std::sync::Mutex`, which is not
//! fair: a thread that releases it and takes it straight back usually wins
//! over a thread that was asleep waiting for it, so a CPU-bound thread can
//! keep the GIL for long stretches while the others starve. Throughput is
//! the same (≈ one core's worth either way), which is all the speed-up
//! table measures. CPython 3.2+ is fairer: a thread that asked for the GIL
//! is guaranteed to get it at the next switch ("forced switching").
//!
//! Cost: one lock and unlock per switch interval, and on more than one core
//! a wake-up of a sleeping waiter each time; the real cost is that only one
//! thread computes at a time.

use std::sync::PoisonError;

use crate::sync::{Mutex, MutexGuard};

/// One global lock; see the module doc.
#[derive(Debug)]
pub struct Gil {
    lock: Mutex<()>,
    switch_interval: u32,
}

impl Default for Gil {
    fn default() -> Self {
        Gil::new()
    }
}

impl Gil {
    /// A GIL on the current backend that offers a switch after every
    /// bytecode (what the models use: every bytecode boundary is a place
    /// where another thread may run).
    pub fn new() -> Self {
        Gil::with_switch_interval(1)
    }

    /// A GIL whose holder releases and retakes it after every `bytecodes`
    /// bytecodes (at least 1).
    pub fn with_switch_interval(bytecodes: u32) -> Self {
        Gil {
            lock: Mutex::new(()).named("GIL"),
            switch_interval: bytecodes.max(1),
        }
    }

    /// How many bytecodes a holder runs between two switch points.
    pub fn switch_interval(&self) -> u32 {
        self.switch_interval
    }

    /// Takes the GIL to run interpreted code (blocks while another thread
    /// holds it). Dropping the [`Held`] releases it.
    pub fn enter(&self) -> Held<'_> {
        Held {
            gil: self,
            guard: Some(self.take()),
            since_switch: 0,
        }
    }

    fn take(&self) -> MutexGuard<'_, ()> {
        // A thread that panicked inside a bytecode poisons the lock; the
        // interpreter's state is a `()` here, so there is nothing to repair.
        self.lock.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

/// A thread's hold on the GIL.
#[derive(Debug)]
pub struct Held<'a> {
    gil: &'a Gil,
    /// `None` only inside [`Held::release_while`] and a switch.
    guard: Option<MutexGuard<'a, ()>>,
    since_switch: u32,
}

impl Held<'_> {
    /// Runs one bytecode (`step`) with the GIL held. When a switch interval
    /// has passed since the GIL was taken, it first releases the GIL and
    /// takes it back: the point between two bytecodes where another thread
    /// may run.
    pub fn bytecode<R>(&mut self, step: impl FnOnce() -> R) -> R {
        if self.since_switch >= self.gil.switch_interval {
            self.since_switch = 0;
            self.guard = None;
            self.guard = Some(self.gil.take());
        }
        self.since_switch += 1;
        step()
    }

    /// Runs `blocking` (an I/O wait, a sleep, acquiring a user lock) with
    /// the GIL released, then takes it back.
    pub fn release_while<R>(&mut self, blocking: impl FnOnce() -> R) -> R {
        self.guard = None;
        let r = blocking();
        self.guard = Some(self.gil.take());
        self.since_switch = 0;
        r
    }
}
