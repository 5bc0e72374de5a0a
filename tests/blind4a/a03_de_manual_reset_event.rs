//! # a03: a manual-reset event that is reset under the waiter's feet (The Deadlock Empire)
//!
//! Source: The Deadlock Empire, level "Manual Reset Event" (H1):
//! thread 0 `while (true) { sync.Wait(); if (counter % 2 == 1) fail; }`;
//! thread 1 `while (true) { sync.Reset(); counter++; counter++; sync.Set(); }`.
//!
//! Bug: passing `Wait()` only says the event *was* set. The setter can
//! `Reset()` and make the first increment of its next pair before the waiter
//! reads `counter`, so the waiter sees an odd value: it reads in the middle
//! of an update meant as one (two increments), and its check (event set) is
//! stale by the time it acts. Model: the event is a `Mutex<bool>` `sync` and a
//! `Condvar` `sync.cv`; `counter` an `AtomicU16` updated with `fetch_add`
//! (Relaxed: one writer, ordering is not the bug); `setter` runs two
//! iterations, `waiter` one.
//!
//! ## Teacher marks (written before looking at racelab's marks)
//! 1. waiter's `load counter -> 3`: it lands between setter's two increments
//!    of one iteration (`2 -> 3` and `3 -> 4`): **atomicity violation**
//!    (the pair meant as one update is split), equally well told as a
//!    **stale check** (the read acts on the event check, `sync` found true,
//!    which setter's `Reset` turned false before the read) or an
//!    **order violation** ("setter's update landed between"). The text must
//!    name setter's reset or its `2 -> 3` increment.
//! 2. lenient end: setter's second-iteration `Reset` (the write of `false`
//!    to `sync`) or its `fetch_add counter 2 -> 3`.
//!
//! Spurious: marks on the first iteration or on `Set`/`notify_all`; a
//! `stale_read`/`no_sync` on the Relaxed counter (the waiter read the newest
//! value); a `lost_update` (one writer); a `lost_wakeup` (no wake-up lost).

use racelab::explore::{Explorer, Grade, Scenario};
use racelab::sync::atomic::{AtomicU16, Ordering::Relaxed};
use racelab::sync::{thread, Arc, Condvar, Mutex};

use crate::common;

/// .NET's `ManualResetEventSlim`: a flag, `Wait` until it is set.
struct ManualResetEvent {
    set: Mutex<bool>,
    cv: Condvar,
}

impl ManualResetEvent {
    fn new() -> Self {
        ManualResetEvent {
            set: Mutex::new(false).named("sync"),
            cv: Condvar::new().named("sync.cv"),
        }
    }
    fn wait(&self) {
        let guard = self.set.lock().unwrap();
        let _guard = self.cv.wait_while(guard, |set| !*set).unwrap();
    }
    fn set(&self) {
        *self.set.lock().unwrap() = true;
        self.cv.notify_all();
    }
    fn reset(&self) {
        *self.set.lock().unwrap() = false;
    }
}

struct Shared {
    sync: ManualResetEvent,
    counter: AtomicU16,
    /// For the fix only: the lock that makes a pair of increments one update.
    pair: Mutex<()>,
}

fn scenario(name: &str, fixed: bool) -> Scenario<u16> {
    Scenario::new(name, move || {
        let s = Arc::new(Shared {
            sync: ManualResetEvent::new(),
            counter: AtomicU16::new(0).named("counter"),
            pair: Mutex::new(()).named("pair"),
        });
        let w = Arc::clone(&s);
        let waiter = thread::Builder::new()
            .name("waiter")
            .spawn(move || {
                w.sync.wait();
                let _pair = fixed.then(|| w.pair.lock().unwrap());
                w.counter.load(Relaxed)
            })
            .unwrap();
        let t = Arc::clone(&s);
        let setter = thread::Builder::new()
            .name("setter")
            .spawn(move || {
                for _ in 0..2 {
                    t.sync.reset();
                    let _pair = fixed.then(|| t.pair.lock().unwrap());
                    t.counter.fetch_add(1, Relaxed);
                    t.counter.fetch_add(1, Relaxed);
                    drop(_pair);
                    t.sync.set();
                }
            })
            .unwrap();
        let seen = waiter.join().unwrap();
        setter.join().unwrap();
        seen
    })
    .expect("the waiter sees an even counter", |c| {
        if c % 2 == 0 {
            Grade::Acceptable
        } else {
            Grade::Forbidden
        }
    })
}

fn racy() -> Scenario<u16> {
    scenario("blind4a::a03_manual_reset_event", false)
}

/// Control: the pair of increments and the waiter's read under one lock
/// (`pair`), so a read can never land between the two increments.
fn fixed() -> Scenario<u16> {
    scenario("blind4a::a03_manual_reset_event_fixed", true)
}

#[test]
fn loom_finds_the_odd_counter() {
    common::racy(&racy(), Explorer::loom());
}

#[test]
fn shuttle_finds_the_odd_counter() {
    common::racy(&racy(), Explorer::shuttle());
}

#[test]
fn fix_holds_on_loom() {
    common::holds(&fixed(), Explorer::loom());
}

#[test]
fn fix_holds_on_shuttle() {
    common::holds(&fixed(), Explorer::shuttle());
}
