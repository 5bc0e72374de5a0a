//! b02: a home-made semaphore on a `volatile int` that goes above 1, and
//! below 0.
//!
//! Source: a question on the Chinese Q&A forum debugease.com, "j2se/589527"
//! (<https://www.debugease.com/j2se/589527.html>), about `SemaphoreTester`
//! from *Thinking in Java* (3rd ed., ch. 13). The asker's program: a
//! `Semaphore` with `private volatile int semaphore = 0;`,
//! `available()` = `semaphore == 0`, `acquire()` = `++semaphore`,
//! `release()` = `--semaphore`; two `SemaphoreTester` threads loop
//! `if (semaphore.available()) { yield(); semaphore.acquire(); yield();
//! semaphore.release(); yield(); }`, and an `InvariantWatcher` reports any
//! value other than 0 or 1. The asker: "both threads may think the
//! semaphore is available and take it, making it larger than 1 -- that I
//! understand. But it can also become negative, and that I do not: the `--`
//! always comes after the `++`, how can it be negative?"
//!
//! The teacher's explanation (the stored copy shows the question only; this
//! is the standard answer to it): there are two bugs. `available()` then
//! `acquire()` is check-then-act: both threads pass the check at 0 and
//! both acquire (the value 2). And `volatile` makes each read and write
//! visible, not `++`/`--` atomic: each is a read, then a
//! write of the value read plus or minus one, and another thread's update in
//! between is lost. A lost `++` followed by both `--` leaves -1; a lost `--`
//! leaves +1.
//!
//! Transcription: `volatile int` -> an `AtomicI32` read and written with
//! `SeqCst` (separate `load` and `store`, as `++` compiles); the two testers
//! do one round each; `main` is the watcher: it reads the value once while
//! the testers run, then joins them and reads the final value. Outcome
//! `watcher saw S, final F`; right: `S` in {0, 1} and `F == 0`.
//!
//! **Teacher marks**, on the execution racelab shows:
//! - always (1): the second tester's `acquire` (its `load semaphore` /
//!   `store semaphore <- 2`, or its first step after the other tester
//!   acquired): `stale_check`, "acts on its `available()` check (`load
//!   semaphore -> 0`, step N), but the other tester acquired after that
//!   check".
//! - if the shown execution also loses an update (final value -1 or +1), a
//!   second mark: the store that overwrote the other tester's `++` or `--`:
//!   `lost_update`, "overwrites step N (the other tester's update is
//!   lost)". That execution has 2 teacher marks, one with only the double
//!   acquire (watcher saw 2) has 1.
//!
//! No mark belongs on: the first tester's check and acquire when nobody
//! interfered; `main`'s watcher read (it only observes); the joins; the
//! final read.
//!
//! Controls: a real counting semaphore (`racelab::sync::Semaphore` with one
//! permit, `try_acquire` / `release`), another primitive than the obvious
//! `synchronized` methods; and the obvious one, a `Mutex<i32>` that makes
//! check-and-acquire one step and `--` one step.

use racelab::explore::{FailureKind, Grade, Scenario};
use racelab::sync::atomic::{AtomicI32, Ordering::SeqCst};
use racelab::sync::{thread, Arc, Mutex, Semaphore};

use super::common;

/// `(what the watcher saw, the final value)`.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
struct Seen(i32, i32);

impl std::fmt::Display for Seen {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "watcher saw {}, final {}", self.0, self.1)
    }
}

fn grade(seen: &Seen) -> Grade {
    if (0..=1).contains(&seen.0) && seen.1 == 0 {
        Grade::Acceptable
    } else {
        Grade::Forbidden
    }
}

/// Thinking in Java's `Semaphore`: a `volatile int`.
struct TijSemaphore {
    semaphore: AtomicI32,
}

impl TijSemaphore {
    fn available(&self) -> bool {
        self.semaphore.load(SeqCst) == 0
    }
    fn acquire(&self) {
        // ++semaphore on a volatile: read, add, write.
        let v = self.semaphore.load(SeqCst);
        self.semaphore.store(v + 1, SeqCst);
    }
    fn release(&self) {
        // --semaphore on a volatile: read, subtract, write.
        let v = self.semaphore.load(SeqCst);
        self.semaphore.store(v - 1, SeqCst);
    }
    fn value(&self) -> i32 {
        self.semaphore.load(SeqCst)
    }
}

fn racy() -> Scenario<Seen> {
    Scenario::new("blind9b::b02_tij_semaphore_tester", || {
        let sem = Arc::new(TijSemaphore {
            semaphore: AtomicI32::new(0).named("semaphore"),
        });
        let testers: Vec<_> = (0..2)
            .map(|i| {
                let sem = Arc::clone(&sem);
                thread::Builder::new()
                    .name(format!("tester{i}"))
                    .spawn(move || {
                        if sem.available() {
                            thread::yield_now();
                            sem.acquire();
                            thread::yield_now();
                            sem.release();
                            thread::yield_now();
                        }
                    })
                    .unwrap()
            })
            .collect();
        // InvariantWatcher: one look while the testers run.
        let watched = sem.value();
        for t in testers {
            t.join().unwrap();
        }
        Seen(watched, sem.value())
    })
    .expect("watcher saw 0 or 1, final 0", grade)
}

/// Control: a counting semaphore with one permit (`available()` is the
/// number of free permits, so the invariant is 0..=1 free, 1 at the end).
fn fixed_semaphore() -> Scenario<Seen> {
    Scenario::new("blind9b::b02_fix_counting_semaphore", || {
        let sem = Arc::new(Semaphore::new(1).named("sem"));
        let testers: Vec<_> = (0..2)
            .map(|i| {
                let sem = Arc::clone(&sem);
                thread::Builder::new()
                    .name(format!("tester{i}"))
                    .spawn(move || {
                        if sem.try_acquire() {
                            thread::yield_now();
                            sem.release();
                        }
                    })
                    .unwrap()
            })
            .collect();
        // Taken permits = 1 - free permits.
        let watched = 1 - sem.available() as i32;
        for t in testers {
            t.join().unwrap();
        }
        Seen(watched, 1 - sem.available() as i32)
    })
    .expect("watcher saw 0 or 1, final 0", grade)
}

/// Control: `synchronized` check-and-acquire, `synchronized` release.
fn fixed_mutex() -> Scenario<Seen> {
    Scenario::new("blind9b::b02_fix_synchronized", || {
        let sem = Arc::new(Mutex::new(0i32).named("semaphore"));
        let testers: Vec<_> = (0..2)
            .map(|i| {
                let sem = Arc::clone(&sem);
                thread::Builder::new()
                    .name(format!("tester{i}"))
                    .spawn(move || {
                        let took = {
                            let mut s = sem.lock().unwrap();
                            if *s == 0 {
                                *s += 1;
                                true
                            } else {
                                false
                            }
                        };
                        if took {
                            thread::yield_now();
                            *sem.lock().unwrap() -= 1;
                        }
                    })
                    .unwrap()
            })
            .collect();
        let watched = *sem.lock().unwrap();
        for t in testers {
            t.join().unwrap();
        }
        let last = *sem.lock().unwrap();
        Seen(watched, last)
    })
    .expect("watcher saw 0 or 1, final 0", grade)
}

#[test]
fn racy_loom() {
    let report = common::explore(&racy(), &common::loom());
    report.assert_racy(Some(FailureKind::ForbiddenOutcome));
}

#[test]
fn racy_shuttle() {
    let report = common::explore(&racy(), &common::shuttle());
    report.assert_racy(Some(FailureKind::ForbiddenOutcome));
}

#[test]
fn fixes_hold() {
    for explorer in [common::loom(), common::shuttle()] {
        common::explore(&fixed_semaphore(), &explorer).assert_holds();
        common::explore(&fixed_mutex(), &explorer).assert_holds();
    }
}
