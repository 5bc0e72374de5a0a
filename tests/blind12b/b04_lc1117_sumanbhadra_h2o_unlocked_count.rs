//! LeetCode 1117 "Building H2O", the Python solution on Suman Bhadra's
//! notes (<https://learn.sumanbhadra.com/contents/dsa/design/building-h2o.html>):
//! `self.h = Semaphore(2)`, `self.o = Semaphore(0)`, `self.barrier = 0`;
//! `hydrogen()`: `h.acquire(); releaseHydrogen(); self.barrier += 1; if
//! self.barrier == 2: self.o.release()`; `oxygen()`: `o.acquire();
//! releaseOxygen(); self.barrier = 0; h.release(); h.release()`.
//!
//! The bug: `h` lets two hydrogens in at once, and both run `self.barrier
//! += 1` with no lock: a load, an add and a store, which the interpreter can
//! switch between (the GIL does not make `+=` atomic). Both read 0, both
//! store 1, neither sees 2, `o` is never released and the oxygen thread
//! waits for ever.
//!
//! Transcription: `barrier` is an `AtomicUsize`, `+=` one `SeqCst` load and
//! one `SeqCst` store (what the bytecodes do, each atomic on its own); the
//! semaphores are `racelab::sync::Semaphore`; the output is a `Mutex<String>`
//! (`print` is thread-safe in Python). Threads: two hydrogens and one oxygen.
//!
//! # Teacher marks (written before the first run)
//! - the second hydrogen's `store barrier <- 1`: `lost_update`: "overwrites
//!   the other hydrogen's store of 1: it was computed from `load barrier ->
//!   0`, read before that store; the count never reaches 2".
//! - `oxygen`'s `acquire o` that never returns: `deadlock`: "waits for o,
//!   which no thread will release (both hydrogens are done)".
//!
//! 2 marks per backend.
//!
//! No mark on the first hydrogen's load and store (its update is the one
//! lost), on `acquire h`, the output, spawns or joins.
//! Expected verdict: `deadlock` on both backends.

use racelab::explore::{FailureKind, Scenario};
use racelab::sync::atomic::{AtomicUsize, Ordering};
use racelab::sync::{thread, Arc, Barrier, Mutex, Semaphore};

use super::common;

struct H2O {
    h: Semaphore,
    o: Semaphore,
    barrier: AtomicUsize,
    count_lock: Mutex<usize>,
    out: Mutex<String>,
}

impl H2O {
    fn hydrogen(&self, locked: bool) {
        self.h.acquire();
        self.out.lock().unwrap().push('H');
        let n = if locked {
            let mut c = self.count_lock.lock().unwrap();
            *c += 1;
            *c
        } else {
            let b = self.barrier.load(Ordering::SeqCst);
            self.barrier.store(b + 1, Ordering::SeqCst);
            b + 1
        };
        if n == 2 {
            self.o.release();
        }
    }
    fn oxygen(&self, locked: bool) {
        self.o.acquire();
        self.out.lock().unwrap().push('O');
        if locked {
            *self.count_lock.lock().unwrap() = 0;
        } else {
            self.barrier.store(0, Ordering::SeqCst);
        }
        self.h.release();
        self.h.release();
    }
}

fn program(name: &str, locked: bool) -> Scenario<String> {
    Scenario::new(name, move || {
        let w = Arc::new(H2O {
            h: Semaphore::new(2).named("h"),
            o: Semaphore::new(0).named("o"),
            barrier: AtomicUsize::new(0).named("barrier"),
            count_lock: Mutex::new(0).named("barrier"),
            out: Mutex::new(String::new()).named("output"),
        });
        let mut handles = Vec::new();
        for name in ["h1", "h2"] {
            let w = Arc::clone(&w);
            handles.push(
                thread::Builder::new()
                    .name(name)
                    .spawn(move || w.hydrogen(locked))
                    .unwrap(),
            );
        }
        let wo = Arc::clone(&w);
        handles.push(
            thread::Builder::new()
                .name("oxygen")
                .spawn(move || wo.oxygen(locked))
                .unwrap(),
        );
        for h in handles {
            h.join().unwrap();
        }
        let mut s: Vec<char> = w.out.lock().unwrap().chars().collect();
        s.sort();
        s.into_iter().collect()
    })
    .expect_only("HHO".to_string())
}

/// Control 2: a different design, semaphores for the counts and a
/// `Barrier(3)` so the three atoms of a molecule meet before bonding.
fn barrier_version() -> Scenario<String> {
    Scenario::new("blind12b::lc1117_barrier", || {
        let h = Arc::new(Semaphore::new(2).named("h"));
        let o = Arc::new(Semaphore::new(1).named("o"));
        let meet = Arc::new(Barrier::new(3).named("molecule"));
        let out = Arc::new(Mutex::new(String::new()).named("output"));
        let mut handles = Vec::new();
        for (name, atom) in [("h1", 'H'), ("h2", 'H'), ("oxygen", 'O')] {
            let (h, o, meet, out) = (Arc::clone(&h), Arc::clone(&o), Arc::clone(&meet), Arc::clone(&out));
            handles.push(
                thread::Builder::new()
                    .name(name)
                    .spawn(move || {
                        let sem = if atom == 'H' { &h } else { &o };
                        sem.acquire();
                        meet.wait();
                        out.lock().unwrap().push(atom);
                        sem.release();
                    })
                    .unwrap(),
            );
        }
        for t in handles {
            t.join().unwrap();
        }
        let mut s: Vec<char> = out.lock().unwrap().chars().collect();
        s.sort();
        s.into_iter().collect()
    })
    .expect_only("HHO".to_string())
}

#[test]
fn racy_loom() {
    let r = common::explore(&program("blind12b::lc1117_h2o_unlocked", false), &common::loom());
    r.assert_racy(Some(FailureKind::Deadlock));
}

#[test]
fn racy_shuttle() {
    let r = common::explore(&program("blind12b::lc1117_h2o_unlocked", false), &common::shuttle());
    r.assert_racy(Some(FailureKind::Deadlock));
}

#[test]
fn fixes_hold() {
    for s in [program("blind12b::lc1117_h2o_locked_count", true), barrier_version()] {
        common::explore(&s, &common::loom()).assert_holds();
        common::explore(&s, &common::shuttle()).assert_holds();
    }
}
