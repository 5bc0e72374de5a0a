//! # b03: the futex reader-writer lock whose writer waits without checking again
//!
//! **Source.** Mara Bos, *Rust Atomics and Locks*, chapter 9 "Building Our
//! Own Locks", section "Reader-Writer Lock", subsection "Avoiding
//! Busy-Looping Writers" (<https://marabos.nl/atomics/building-locks.html>;
//! the book's code: `src/ch9_locks/rwlock_2.rs` in
//! github.com/m-ou-se/rust-atomics-and-locks). The lock is a `state`
//! (number of readers, or `u32::MAX` when write-locked) and a
//! `writer_wake_counter` that a writer waits on with a futex. The book's
//! `write()`:
//! ```text
//! while state.compare_exchange(0, u32::MAX, Acquire, Relaxed).is_err() {
//!     let w = writer_wake_counter.load(Acquire);
//!     if state.load(Relaxed) != 0 {
//!         // Wait if the RwLock is still locked, but only if
//!         // there have been no wake signals since we checked.
//!         wait(&writer_wake_counter, w);
//!     }
//! }
//! ```
//! and the last reader's unlock does `writer_wake_counter.fetch_add(1,
//! Release); wake_one(&writer_wake_counter)`. The text stresses that the
//! counter must be loaded *before* checking the state again.
//!
//! **The program.** The transcription drops the re-check
//! (`if state.load(Relaxed) != 0`): after a failed compare-exchange the
//! writer loads the counter and waits on it. alice read-locks, reads the
//! value and unlocks; bob write-locks, writes the value and unlocks. The
//! futex is modelled as the kernel does it: a wait queue (a facade `Mutex`
//! and `Condvar` per address) under whose lock `wait` compares the atomic
//! with the expected value before sleeping, and under which `wake_one`
//! notifies.
//!
//! **The bug.** bob's compare-exchange fails while alice holds the read
//! lock; alice then unlocks completely (state 0, counter 0 -> 1,
//! `wake_one` with nobody asleep); bob loads the counter (1) and waits for
//! it to change from 1: nobody will ever bump it again. bob sleeps forever
//! and main waits for bob: a deadlock (a lost wake-up) on both backends.
//!
//! **Teacher marks (written before the first run).** Per backend:
//! 1. alice's `notify_one` on the writer-wake futex (inside her
//!    `wake_one`), kind `lost_wakeup`: "wakes nobody: bob is not waiting
//!    yet; bob waits at step N for a wake-up that has already come".
//! 2. bob's wait on the futex (his condvar `wait`, or the
//!    `load writer_wake_counter -> 1` that decided it), kind `lost_wakeup`
//!    or `stale_check` (a `deadlock` mark that names alice's earlier wake
//!    is accepted too): "bob waits because his compare-exchange at step K
//!    found the lock held, but alice's unlock (fetch_sub at step M) freed it
//!    before he slept, and her wake-up at step N came before his wait".
//! - No mark belongs on: the futex's internal lock and unlock steps, alice's
//!   read of the value, main's join (it waits, but it is no part of the
//!   cause; a true "main waits for bob" note is fine).
//!
//! **Controls.** (1) The book's code, with the re-check. (2) A different
//! primitive for the writer's sleep: a facade `Semaphore` whose permit, given
//! by the last reader, persists until the writer takes it, so no wake-up
//! can be lost.

use racelab::explore::{FailureKind, Scenario};
use racelab::sync::atomic::{AtomicU32, Ordering::Acquire, Ordering::Relaxed, Ordering::Release};
use racelab::sync::cell::UnsafeCell;
use racelab::sync::{thread, Arc, Condvar, Mutex, Semaphore};

use crate::common;

/// A futex: the kernel's wait queue for one address.
struct Futex {
    queue: Mutex<()>,
    sleepers: Condvar,
}

impl Futex {
    fn new(name: &str) -> Self {
        Futex {
            queue: Mutex::new(()).named(format!("futex({name})")),
            sleepers: Condvar::new().named(format!("futex({name})")),
        }
    }

    /// `atomic_wait::wait`: sleeps if `a` still holds `expected`.
    fn wait(&self, a: &AtomicU32, expected: u32) {
        let q = self.queue.lock().unwrap();
        if a.load(Relaxed) == expected {
            drop(self.sleepers.wait(q).unwrap());
        }
    }

    fn wake_one(&self) {
        let _q = self.queue.lock().unwrap();
        self.sleepers.notify_one();
    }

    fn wake_all(&self) {
        let _q = self.queue.lock().unwrap();
        self.sleepers.notify_all();
    }
}

/// How the writer sleeps.
#[derive(Clone, Copy)]
enum Writer {
    /// The transcription: no re-check of the state before the wait.
    NoRecheck,
    /// The book's `rwlock_2.rs`.
    Book,
    /// Control 2: a semaphore permit from the last reader.
    Semaphore,
}

/// The book's `RwLock<T>` (chapter 9, `rwlock_2.rs`).
struct RwLock {
    state: AtomicU32,
    writer_wake_counter: AtomicU32,
    state_futex: Futex,
    counter_futex: Futex,
    writer_permit: Semaphore,
    value: UnsafeCell<u64>,
    how: Writer,
}

// Safety: as the book's `unsafe impl<T> Sync for RwLock<T>`.
unsafe impl Sync for RwLock {}

impl RwLock {
    fn new(how: Writer) -> Self {
        RwLock {
            state: AtomicU32::new(0).named("state"),
            writer_wake_counter: AtomicU32::new(0).named("writer_wake_counter"),
            state_futex: Futex::new("state"),
            counter_futex: Futex::new("writer_wake_counter"),
            writer_permit: Semaphore::new(0).named("writer_permit"),
            value: UnsafeCell::new(0).named("value"),
            how,
        }
    }

    fn read(&self) {
        let mut s = self.state.load(Relaxed);
        loop {
            if s < u32::MAX {
                match self.state.compare_exchange_weak(s, s + 1, Acquire, Relaxed) {
                    Ok(_) => return,
                    Err(e) => s = e,
                }
            }
            if s == u32::MAX {
                self.state_futex.wait(&self.state, u32::MAX);
                s = self.state.load(Relaxed);
            }
        }
    }

    fn read_unlock(&self) {
        if self.state.fetch_sub(1, Release) == 1 {
            match self.how {
                Writer::Semaphore => self.writer_permit.release(),
                _ => {
                    self.writer_wake_counter.fetch_add(1, Release);
                    self.counter_futex.wake_one();
                }
            }
        }
    }

    fn write(&self) {
        while self.state.compare_exchange(0, u32::MAX, Acquire, Relaxed).is_err() {
            match self.how {
                Writer::NoRecheck => {
                    let w = self.writer_wake_counter.load(Acquire);
                    self.counter_futex.wait(&self.writer_wake_counter, w);
                }
                Writer::Book => {
                    let w = self.writer_wake_counter.load(Acquire);
                    if self.state.load(Relaxed) != 0 {
                        self.counter_futex.wait(&self.writer_wake_counter, w);
                    }
                }
                Writer::Semaphore => self.writer_permit.acquire(),
            }
        }
    }

    fn write_unlock(&self) {
        self.state.store(0, Release);
        match self.how {
            Writer::Semaphore => {}
            _ => {
                self.writer_wake_counter.fetch_add(1, Release);
                self.counter_futex.wake_one();
            }
        }
        self.state_futex.wake_all();
    }
}

fn scenario(name: &str, how: Writer) -> Scenario<String> {
    Scenario::new(name, move || {
        let lock = Arc::new(RwLock::new(how));
        let l = Arc::clone(&lock);
        let alice = thread::Builder::new()
            .name("alice")
            .spawn(move || {
                l.read();
                let v = l.value.with(|p| unsafe { *p });
                l.read_unlock();
                v
            })
            .unwrap();
        let l = Arc::clone(&lock);
        let bob = thread::Builder::new()
            .name("bob")
            .spawn(move || {
                l.write();
                l.value.with_mut(|p| unsafe { *p = 1 });
                l.write_unlock();
            })
            .unwrap();
        let seen = alice.join().unwrap();
        bob.join().unwrap();
        format!("alice read {seen}")
    })
    .expect("both threads finish; alice reads 0 or 1", |_| {
        racelab::explore::Grade::Acceptable
    })
}

#[test]
fn loom_racy() {
    let report = common::explore(&scenario("b03::no_recheck", Writer::NoRecheck), &common::loom());
    report.assert_racy(Some(FailureKind::Deadlock));
}

#[test]
fn shuttle_racy() {
    let report = common::explore(&scenario("b03::no_recheck", Writer::NoRecheck), &common::shuttle());
    report.assert_racy(Some(FailureKind::Deadlock));
}

#[test]
fn loom_control_book() {
    common::explore(&scenario("b03::book", Writer::Book), &common::loom()).assert_holds();
}

#[test]
fn shuttle_control_book() {
    common::explore(&scenario("b03::book", Writer::Book), &common::shuttle()).assert_holds();
}

#[test]
fn loom_control_semaphore() {
    common::explore(&scenario("b03::semaphore", Writer::Semaphore), &common::loom()).assert_holds();
}

#[test]
fn shuttle_control_semaphore() {
    common::explore(&scenario("b03::semaphore", Writer::Semaphore), &common::shuttle()).assert_holds();
}
