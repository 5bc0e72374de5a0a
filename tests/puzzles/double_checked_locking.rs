//! **Double-checked locking, two flavours** — "The 'Double-Checked Locking
//! is Broken' Declaration" (Bacon, Bloch, Bogda, Click, Haahr, Lea, May,
//! Maessen, Manson, Mitchell, Nilsen, Pugh, Sirer); in Rust, *Rust Atomics
//! and Locks* ch. 3 on Release/Acquire publication.
//!
//! `get()`: `if !initialized { lock; if !initialized { config = 42;
//! initialized = true } unlock }; read config`. The value lives in a plain
//! `UnsafeCell`.
//!
//! * `relaxed` (broken, **loom only**): the fast path's `Relaxed` load of
//!   `initialized` does not synchronise with the initialiser's store, so
//!   the read of `config` races with its write. Teacher's marks: the
//!   `Relaxed` load of `initialized` (no synchronisation), and the data race
//!   on `config`'s read.
//! * `acquire_release` (correct): the load is `Acquire`, the store
//!   `Release`.

use racelab::explore::{FailureKind, Scenario};
use racelab::sync::atomic::{AtomicBool, Ordering};
use racelab::sync::cell::UnsafeCell;
use racelab::sync::{Arc, Mutex};
use racelab::trace::{MarkKind, Op};

use crate::support::{mark, spawn, Puzzle, Verdict};

struct Lazy {
    initialized: AtomicBool,
    lock: Mutex<()>,
    config: UnsafeCell<u64>,
}

// SAFETY: `config` is written once, under the lock, before `initialized`
// says so (that is the claim loom checks).
unsafe impl Sync for Lazy {}

impl Lazy {
    fn get(&self, load: Ordering, store: Ordering) -> u64 {
        if !self.initialized.load(load) {
            let _guard = self.lock.lock().unwrap();
            if !self.initialized.load(load) {
                self.config.with_mut(|c| unsafe { *c = 42 });
                self.initialized.store(true, store);
            }
        }
        self.config.with(|c| unsafe { *c })
    }
}

fn scenario(name: &'static str, load: Ordering, store: Ordering) -> Scenario<String> {
    Scenario::new(name, move || {
        let lazy = Arc::new(Lazy {
            initialized: AtomicBool::new(false).named("initialized"),
            lock: Mutex::new(()).named("init_lock"),
            config: UnsafeCell::new(0).named("config"),
        });
        let l = Arc::clone(&lazy);
        let a = spawn("alice", move || l.get(load, store));
        let l = Arc::clone(&lazy);
        let b = spawn("bob", move || l.get(load, store));
        format!("alice {}, bob {}", a.join().unwrap(), b.join().unwrap())
    })
    .expect_only("alice 42, bob 42".to_owned())
}

pub mod relaxed {
    use super::*;

    pub fn puzzle() -> Puzzle {
        Puzzle {
            name: "double_checked_locking::relaxed",
            source: "The Double-Checked Locking is Broken Declaration; Rust Atomics and Locks ch. 3",
            scenario: Box::new(scenario("puzzles::dcl_relaxed", Ordering::Relaxed, Ordering::Relaxed)),
            verdict: Verdict::LoomOnly(FailureKind::DataRace),
            marks: vec![
                mark(MarkKind::NoSync, Op::Load, "initialized"),
                mark(MarkKind::DataRace, Op::CellRead, "config"),
            ],
        }
    }

    crate::puzzle_tests!();
}

pub mod acquire_release {
    use super::*;

    pub fn puzzle() -> Puzzle {
        Puzzle {
            name: "double_checked_locking::acquire_release",
            source: "The Double-Checked Locking is Broken Declaration (the fix); Rust Atomics and Locks ch. 3",
            scenario: Box::new(scenario(
                "puzzles::dcl_acquire_release",
                Ordering::Acquire,
                Ordering::Release,
            )),
            verdict: Verdict::Holds,
            marks: vec![],
        }
    }

    crate::puzzle_tests!();
}
