//! # Rust Atomics and Locks, ch. 5: the one-shot channel's `in_use` check
//!
//! **Source.** Mara Bos, *Rust Atomics and Locks* (O'Reilly, 2023), chapter
//! 5 "Building Our Own Channels", section "Safety Through Runtime Checks"
//! (<https://marabos.nl/atomics/building-channels.html#safety-through-runtime-checks>).
//! The channel holds `message: UnsafeCell<MaybeUninit<T>>`, `in_use:
//! AtomicBool` and `ready: AtomicBool`; `send` must not write the message
//! twice, so it starts with `if self.in_use.swap(true, Relaxed) { panic!("can't
//! send more than one message!"); }`. The book notes that a single atomic
//! swap is what makes this check hold when two threads send at once.
//!
//! **Program.** The exercise's wrong answer: the check written as a load and
//! a store, `if in_use.load(Relaxed) { return Err } in_use.store(true,
//! Relaxed)`, then the write of the message into the cell and `ready.store(true,
//! Release)`. Two threads, `alice` and `bob`, each try to send; main joins
//! them and receives (`ready.load(Acquire)`, then reads the cell).
//!
//! **Bug.** Check-then-act: both senders load `in_use -> false` before
//! either stores it, so both go on and both write the message cell: a data
//! race on the message (loom), and two sends accepted where one must be
//! refused (shuttle, which does not check cells).
//!
//! **Teacher marks.**
//! - shuttle (1): the second sender's `store in_use <- true` (or its write of
//!   the message), kind `stale_check`: "acts on the check at step N (`load
//!   in_use -> false`), which the other sender changed at step M".
//! - loom (2): the same `stale_check` mark, and a `data_race` mark on the
//!   second `write message`, "races with step K" (the other sender's write).
//!
//! No mark belongs on the `ready` accesses, on main's receive, or on the
//! first sender's steps (it did nothing wrong by itself).

use crate::common;
use racelab::explore::{FailureKind, Grade, Scenario};
use racelab::sync::atomic::{AtomicBool, Ordering::*};
use racelab::sync::cell::UnsafeCell;
use racelab::sync::{thread, Arc, Mutex};

struct Channel {
    message: UnsafeCell<u64>,
    in_use: AtomicBool,
    ready: AtomicBool,
}

// SAFETY (intended): `in_use` admits one writer of `message`; `ready`
// (release/acquire) publishes it to the receiver.
unsafe impl Sync for Channel {}

#[derive(Clone, Copy)]
enum Check {
    LoadThenStore,
    Swap,
}

impl Channel {
    fn new() -> Self {
        Channel {
            message: UnsafeCell::new(0).named("message"),
            in_use: AtomicBool::new(false).named("in_use"),
            ready: AtomicBool::new(false).named("ready"),
        }
    }

    fn send(&self, message: u64, check: Check) -> Result<(), u64> {
        match check {
            Check::LoadThenStore => {
                if self.in_use.load(Relaxed) {
                    return Err(message);
                }
                self.in_use.store(true, Relaxed);
            }
            Check::Swap => {
                if self.in_use.swap(true, Relaxed) {
                    return Err(message);
                }
            }
        }
        self.message.with_mut(|p| unsafe { *p = message });
        self.ready.store(true, Release);
        Ok(())
    }

    fn receive(&self) -> Option<u64> {
        if self.ready.load(Acquire) {
            Some(self.message.with(|p| unsafe { *p }))
        } else {
            None
        }
    }
}

/// alice's send accepted, bob's send accepted, what main received.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
struct Out(bool, bool, Option<u64>);

impl std::fmt::Display for Out {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "alice ok = {}, bob ok = {}, received = {:?}", self.0, self.1, self.2)
    }
}

fn one_send(o: &Out) -> Grade {
    if o.0 != o.1 {
        Grade::Acceptable
    } else {
        Grade::Forbidden
    }
}

fn scenario(name: &str, check: Check) -> Scenario<Out> {
    Scenario::new(name, move || {
        let ch = Arc::new(Channel::new());
        let (a, b) = (Arc::clone(&ch), Arc::clone(&ch));
        let alice = thread::Builder::new()
            .name("alice")
            .spawn(move || a.send(1, check).is_ok())
            .unwrap();
        let bob = thread::Builder::new()
            .name("bob")
            .spawn(move || b.send(2, check).is_ok())
            .unwrap();
        let (x, y) = (alice.join().unwrap(), bob.join().unwrap());
        Out(x, y, ch.receive())
    })
    .expect("exactly one send is accepted", one_send)
}

/// Another primitive: the slot under a mutex; a second send finds it full.
fn mutex_slot() -> Scenario<Out> {
    Scenario::new("blind12a::ral5_oneshot_mutex_slot", || {
        let slot = Arc::new(Mutex::new(None::<u64>).named("slot"));
        let send = |slot: &Mutex<Option<u64>>, m: u64| {
            let mut g = slot.lock().unwrap();
            if g.is_some() {
                return false;
            }
            *g = Some(m);
            true
        };
        let (a, b) = (Arc::clone(&slot), Arc::clone(&slot));
        let alice = thread::Builder::new().name("alice").spawn(move || send(&a, 1)).unwrap();
        let bob = thread::Builder::new().name("bob").spawn(move || send(&b, 2)).unwrap();
        let (x, y) = (alice.join().unwrap(), bob.join().unwrap());
        let got = *slot.lock().unwrap();
        Out(x, y, got)
    })
    .expect("exactly one send is accepted", one_send)
}

#[test]
fn racy_loom() {
    let r = common::explore(
        &scenario("blind12a::ral5_oneshot_load_then_store", Check::LoadThenStore),
        &common::loom(),
    );
    r.assert_racy(Some(FailureKind::DataRace));
}

#[test]
fn racy_shuttle() {
    let r = common::explore(
        &scenario("blind12a::ral5_oneshot_load_then_store", Check::LoadThenStore),
        &common::shuttle(),
    );
    r.assert_racy(Some(FailureKind::ForbiddenOutcome));
}

#[test]
fn controls_hold() {
    for s in [scenario("blind12a::ral5_oneshot_swap", Check::Swap), mutex_slot()] {
        common::explore(&s, &common::loom()).assert_holds();
        common::explore(&s, &common::shuttle()).assert_holds();
    }
}
