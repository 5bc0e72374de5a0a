//! # spin-rs #148: `Once::try_call_once` fails, a waiter hits `unreachable!`
//!
//! **Source.** zesterer/spin-rs issue #148, "Unsoundness in
//! `Once::try_call_once()`" (<https://github.com/zesterer/spin-rs/issues/148>),
//! fixed by PR #149 and published as RUSTSEC-2023-0031 ("Initialisation
//! failure in `Once::try_call_once` can lead to undefined behaviour for other
//! initialisers", <https://rustsec.org/advisories/RUSTSEC-2023-0031>). The
//! issue's reproduction: one thread calls `try_call_once` with a closure that
//! sleeps and returns `Err(())`; a second thread calls `call_once(|| {})`.
//!
//! **Program.** `Once` keeps a status word: INCOMPLETE, RUNNING, COMPLETE. The
//! winner of `compare_exchange(INCOMPLETE, RUNNING)` runs the closure; on
//! `Ok` it stores the value and COMPLETE, on `Err` it puts the status back to
//! INCOMPLETE. A loser that saw RUNNING spins until the status is no longer
//! RUNNING, and then assumes it is COMPLETE (or PANICKED): any other status is
//! `unreachable!()` (undefined behaviour in release builds).
//!
//! **Bug.** The loser's decision ("someone else is initialising, I only have
//! to wait for the result") is taken at its failed compare-exchange, which saw
//! RUNNING. The fallible initialiser then resets the status to INCOMPLETE, a
//! transition the waiter's code never considered: it reads INCOMPLETE and
//! reaches `unreachable!()`. The fix (PR #149) retries from the top.
//!
//! **Teacher marks** (bad execution: `fallible` wins the CAS; main's CAS
//! fails with RUNNING; `fallible`'s closure fails and stores INCOMPLETE; main's
//! spin reads INCOMPLETE and panics):
//! 1. `fallible`'s `store status <- 0` (the reset), kind `stale_check` (or
//!    `order_violation`): "resets the status to INCOMPLETE after main decided,
//!    at its compare-exchange (step N, which saw RUNNING), to wait for a
//!    result; main's wait now ends on a status it does not handle".
//! 2. main's `load status -> 0` (the read that ends the wait and leads to
//!    the panic), kind `stale_check`: "acts on the check at step N (the failed
//!    CAS that saw RUNNING), which `fallible` changed at step M".
//!
//! No mark belongs on main's spin loads that read 1 (polling), on the spawn,
//! or on `fallible`'s winning compare-exchange.

use crate::common;
use racelab::explore::{FailureKind, Grade, Scenario};
use racelab::sync::atomic::{AtomicU64, AtomicU8, Ordering::*};
use racelab::sync::{thread, Arc, Mutex};

const INCOMPLETE: u8 = 0;
const RUNNING: u8 = 1;
const COMPLETE: u8 = 2;

struct Once {
    status: AtomicU8,
    value: AtomicU64,
}

impl Once {
    fn new() -> Self {
        Once {
            status: AtomicU8::new(INCOMPLETE).named("status"),
            value: AtomicU64::new(0).named("value"),
        }
    }

    /// spin 0.9.3..0.9.7: a loser waits for RUNNING to end and assumes
    /// COMPLETE.
    fn try_call_once_buggy(&self, f: impl FnOnce() -> Result<u64, ()>) -> Result<u64, ()> {
        match self.status.compare_exchange(INCOMPLETE, RUNNING, Acquire, Acquire) {
            Ok(_) => match f() {
                Ok(v) => {
                    self.value.store(v, Relaxed);
                    self.status.store(COMPLETE, Release);
                    Ok(v)
                }
                Err(e) => {
                    self.status.store(INCOMPLETE, Release);
                    Err(e)
                }
            },
            Err(COMPLETE) => Ok(self.value.load(Relaxed)),
            Err(_running) => {
                let status = loop {
                    let s = self.status.load(Acquire);
                    if s != RUNNING {
                        break s;
                    }
                    thread::yield_now();
                };
                match status {
                    COMPLETE => Ok(self.value.load(Relaxed)),
                    _ => unreachable!("Once: status went from RUNNING to {status}"),
                }
            }
        }
    }

    /// PR #149: whatever ends the wait, go round again from the top.
    fn try_call_once_fixed(&self, f: impl FnOnce() -> Result<u64, ()>) -> Result<u64, ()> {
        let mut f = Some(f);
        loop {
            match self.status.compare_exchange(INCOMPLETE, RUNNING, Acquire, Acquire) {
                Ok(_) => {
                    let f = f.take().expect("the closure runs at most once");
                    return match f() {
                        Ok(v) => {
                            self.value.store(v, Relaxed);
                            self.status.store(COMPLETE, Release);
                            Ok(v)
                        }
                        Err(e) => {
                            self.status.store(INCOMPLETE, Release);
                            Err(e)
                        }
                    };
                }
                Err(COMPLETE) => return Ok(self.value.load(Relaxed)),
                Err(_) => {
                    while self.status.load(Acquire) == RUNNING {
                        thread::yield_now();
                    }
                }
            }
        }
    }
}

/// Outcome: the fallible caller's result, the infallible caller's value.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
struct Out(Result<u64, ()>, u64);

impl std::fmt::Display for Out {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "fallible = {:?}, main = {}", self.0, self.1)
    }
}

fn rule(o: &Out) -> Grade {
    if o.1 == 7 {
        Grade::Acceptable
    } else {
        Grade::Forbidden
    }
}

fn racy() -> Scenario<Out> {
    Scenario::new("blind12a::spin148_try_call_once_buggy", || {
        let once = Arc::new(Once::new());
        let o = Arc::clone(&once);
        let t = thread::Builder::new()
            .name("fallible")
            .spawn(move || o.try_call_once_buggy(|| Err(())))
            .unwrap();
        let v = once.try_call_once_buggy(|| Ok(7)).unwrap_or(0);
        Out(t.join().unwrap(), v)
    })
    .expect("main's call_once returns 7", rule)
}

fn fixed_retry() -> Scenario<Out> {
    Scenario::new("blind12a::spin148_try_call_once_retry", || {
        let once = Arc::new(Once::new());
        let o = Arc::clone(&once);
        let t = thread::Builder::new()
            .name("fallible")
            .spawn(move || o.try_call_once_fixed(|| Err(())))
            .unwrap();
        let v = once.try_call_once_fixed(|| Ok(7)).unwrap_or(0);
        Out(t.join().unwrap(), v)
    })
    .expect("main's call_once returns 7", rule)
}

/// Another primitive: the fallible initialisation runs under a mutex, so a
/// second caller sees either nothing (and initialises itself) or the value.
fn fixed_mutex() -> Scenario<Out> {
    fn try_init(cell: &Mutex<Option<u64>>, f: impl FnOnce() -> Result<u64, ()>) -> Result<u64, ()> {
        let mut g = cell.lock().unwrap();
        if let Some(v) = *g {
            return Ok(v);
        }
        let v = f()?;
        *g = Some(v);
        Ok(v)
    }
    Scenario::new("blind12a::spin148_try_init_under_mutex", || {
        let cell = Arc::new(Mutex::new(None::<u64>).named("cell"));
        let c = Arc::clone(&cell);
        let t = thread::Builder::new()
            .name("fallible")
            .spawn(move || try_init(&c, || Err(())))
            .unwrap();
        let v = try_init(&cell, || Ok(7)).unwrap_or(0);
        Out(t.join().unwrap(), v)
    })
    .expect("main's call_once returns 7", rule)
}

#[test]
fn racy_loom() {
    let r = common::explore(&racy(), &common::loom());
    r.assert_racy(Some(FailureKind::Panic));
}

#[test]
fn racy_shuttle() {
    let r = common::explore(&racy(), &common::shuttle());
    r.assert_racy(Some(FailureKind::Panic));
}

#[test]
fn controls_hold() {
    for s in [fixed_retry(), fixed_mutex()] {
        common::explore(&s, &common::loom()).assert_holds();
        common::explore(&s, &common::shuttle()).assert_holds();
    }
}
