//! **The Deadlock Empire, level S1 "Semaphores"**.
//!
//! A `SemaphoreSlim` starting at 0. Thread 0 loops `ss.Wait();
//! critical_section(); ss.Release();`. Thread 1 loops `if (ss.Wait(0)) {
//! critical_section(); ss.Release(); } else { ss.Release(); }`: when its
//! try-wait fails it releases a permit it never took. Each such release
//! invents a permit, so after thread 0 has entered with one, thread 1's
//! next failed try releases a second, and its try after that succeeds:
//! both threads are in the critical section. Transcribed with racelab's
//! `Semaphore` (named `ss`); the critical section counts its occupants in an
//! `AtomicU32` (`in_cs`) and reports whether it found someone already in.
//! Bounded: thread 0 one iteration, thread 1 three.
//!
//! **Teacher marks (written before looking at racelab's marks)**
//! 1. t1's `release ss` in its else branch while t0 holds the only permit
//!    (the second of t1's else-releases, "(1 free)" while t0 is inside) -
//!    kind: *unmatched release*: a thread gives back a permit it never
//!    acquired, so the semaphore now admits two (none of racelab's kinds
//!    names this; a teacher would say "this release has no matching
//!    acquire").
//! 2. t1's successful `acquire ss` (its try) / its `fetch_add in_cs -> 1`
//!    entering while t0 is still inside - kind: the consequence, mutual
//!    exclusion violated (two holders of a semaphore meant as a lock).
//!
//! Lost update / stale check / data race / deadlock marks would be
//! spurious: the semaphore's own count is updated correctly under its lock
//! every time; it is the program's use of `release` that is wrong.

use racelab::explore::{Grade, Scenario};
use racelab::sync::atomic::{AtomicU32, Ordering::SeqCst};
use racelab::sync::{thread, Arc, Semaphore};

use crate::common;

struct Shared {
    ss: Semaphore,
    in_cs: AtomicU32,
}

impl Shared {
    /// Returns whether another thread was already inside.
    fn critical_section(&self) -> bool {
        let before = self.in_cs.fetch_add(1, SeqCst);
        self.in_cs.fetch_sub(1, SeqCst);
        before > 0
    }
}

const EXCLUSIVE: &str = "never two threads in the critical section";

/// `fixed`: the semaphore starts with one permit (it is a lock) and thread
/// 1's else branch releases nothing (the control).
fn scenario(fixed: bool) -> Scenario<String> {
    let name = if fixed {
        "blind3a::semaphores_matched"
    } else {
        "blind3a::semaphores"
    };
    Scenario::new(name, move || {
        let s = Arc::new(Shared {
            ss: Semaphore::new(if fixed { 1 } else { 0 }).named("ss"),
            in_cs: AtomicU32::new(0).named("in_cs"),
        });
        let a = Arc::clone(&s);
        let t0 = thread::Builder::new()
            .name("t0")
            .spawn(move || {
                a.ss.acquire();
                let shared = a.critical_section();
                a.ss.release();
                shared
            })
            .unwrap();
        let b = Arc::clone(&s);
        let t1 = thread::Builder::new()
            .name("t1")
            .spawn(move || {
                let mut shared = false;
                for _ in 0..3 {
                    if b.ss.try_acquire() {
                        shared |= b.critical_section();
                        b.ss.release();
                    } else if !fixed {
                        b.ss.release();
                    }
                }
                shared
            })
            .unwrap();
        let s0 = t0.join().unwrap();
        let s1 = t1.join().unwrap();
        if s0 || s1 {
            "two threads in the critical section".to_owned()
        } else {
            EXCLUSIVE.to_owned()
        }
    })
    .expect(EXCLUSIVE, |o: &String| {
        if o == EXCLUSIVE {
            Grade::Acceptable
        } else {
            Grade::Forbidden
        }
    })
}

#[test]
fn loom() {
    common::explore(&scenario(false), &common::loom()).assert_racy(None);
}

#[test]
fn shuttle() {
    common::explore(&scenario(false), &common::shuttle()).assert_racy(None);
}

#[test]
fn control_loom() {
    common::explore(&scenario(true), &common::loom()).assert_holds();
}

#[test]
fn control_shuttle() {
    common::explore(&scenario(true), &common::shuttle()).assert_holds();
}
