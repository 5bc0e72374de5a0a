//! # tokio's oneshot after `close`: both halves take the value
//!
//! **Source.** RUSTSEC-2021-0124 / tokio-rs/tokio#4225 "Race leads to panic
//! in `oneshot::Sender::send()`" (<https://github.com/tokio-rs/tokio/issues/4225>),
//! fixed by tokio-rs/tokio#4226 "sync: fix racy `UnsafeCell` access on a
//! closed oneshot" (<https://github.com/tokio-rs/tokio/pull/4226>). The
//! advisory: "If a `tokio::sync::oneshot` channel is closed (via the
//! `oneshot::Receiver::close` method), a data race may occur if the
//! `oneshot::Sender::send` method is called while the corresponding
//! `oneshot::Receiver` is `await`ed or calling `try_recv`."
//!
//! **The program** (tokio 1.13's `sync/oneshot.rs`, the parts on this path).
//! The channel is a `state` word (bits `VALUE_SENT`, `CLOSED`) and a
//! `value: UnsafeCell<Option<T>>`.
//! - `Sender::send(t)`: write `Some(t)` into the cell; `complete()`, which is
//!   `prev = state.fetch_or(VALUE_SENT, AcqRel)` and fails if `prev` has
//!   `CLOSED`; on failure take the value back out of the cell and return
//!   `Err(value.unwrap())`.
//! - `Receiver::close()`: `state.fetch_or(CLOSED, Acquire)`.
//! - `Receiver::try_recv()`: `state.load(Acquire)`; if `VALUE_SENT` is set,
//!   take the value out of the cell (`None` means `Closed`); else if `CLOSED`
//!   is set, `Closed`; else `Empty`.
//!
//! The scenario: thread `receiver` calls `close()` then `try_recv()`;
//! thread `sender` calls `send(7)`. The waker bits (`RX_TASK_SET`...) are
//! left out: nobody awaits.
//!
//! **The bug (PR #4226's words).** "The call to `send` puts the sent value in
//! the cell. Then, it sets the `VALUE_SENT` (completed) bit, returning a
//! snapshot of the state. If the state is closed, the sender takes the sent
//! value back out of the cell. [...] if a call to `recv` loads the state
//! after the completed bit has been set, it will no longer treat the channel
//! as closed, and will try to take the value out of the cell. This results
//! in both threads accessing the cell concurrently." If the receiver takes
//! first, the sender's `unwrap()` finds `None` and panics (the issue's
//! title); either way the two `take`s race.
//!
//! **Teacher marks:**
//! - **loom, T1** `data_race`, on the later (in the timeline) of the two
//!   `take`s of `value` (the sender's take-back and the receiver's take):
//!   "races with step N: the receiver's take is ordered after the sender's
//!   write of the value (its `Acquire` load read the sender's `AcqRel`
//!   `fetch_or`), but nothing orders the sender's take-back, made after that
//!   `fetch_or`, with it." A `data_race` mark on the earlier one naming the
//!   later is lenient.
//! - **shuttle, T1** `atomicity_violation` (a `data_race` mark on the same
//!   pair is equivalent), on the sender's take-back that finds `None`:
//!   "the sender put the value in (step N) and takes it back (this step), but
//!   the receiver's take (step M) came in between: the sender finds nothing
//!   and `unwrap` panics." (shuttle cannot see a data race by itself; it sees
//!   the panic. If shuttle's kept run is one where the sender takes first and
//!   nothing panics, there is no failure to mark.)
//!
//! No mark belongs on: `close` (legal), the sender's first write of the
//! value (before anyone else can look), the receiver's `load state` by
//! itself. A mark on the sender's `fetch_or state` that says it sets
//! `VALUE_SENT` on a closed channel is true and relevant (it is the line
//! the fix changed), not spurious.
//!
//! **Controls.** (1) The fix of PR #4226: `set_complete` never sets
//! `VALUE_SENT` once `CLOSED` is set (a compare-exchange loop). (2) Another
//! primitive: the whole channel state in one `Mutex`.

use crate::common;
use racelab::explore::{FailureKind, Grade, Scenario};
use racelab::sync::atomic::{
    AtomicUsize,
    Ordering::{AcqRel, Acquire},
};
use racelab::sync::cell::UnsafeCell;
use racelab::sync::{thread, Arc, Mutex};

const VALUE_SENT: usize = 0b010;
const CLOSED: usize = 0b100;

struct Inner {
    state: AtomicUsize,
    value: UnsafeCell<Option<u64>>,
}

// SAFETY (as tokio claims): the state machine is meant to hand the cell to
// one side at a time. The bug is that it does not.
unsafe impl Sync for Inner {}
unsafe impl Send for Inner {}

impl Inner {
    fn new() -> Self {
        Inner {
            state: AtomicUsize::new(0).named("state"),
            value: UnsafeCell::new(None).named("value"),
        }
    }

    /// `Inner::consume_value`: take the value out of the cell.
    fn consume_value(&self) -> Option<u64> {
        self.value.with_mut(|ptr| unsafe { (*ptr).take() })
    }

    /// tokio 1.13's `State::set_complete`: sets `VALUE_SENT` unconditionally.
    fn set_complete_racy(&self) -> usize {
        self.state.fetch_or(VALUE_SENT, AcqRel)
    }

    /// PR #4226's `State::set_complete`: never on a closed channel.
    fn set_complete_fixed(&self) -> usize {
        let mut state = self.state.load(Acquire);
        loop {
            if state & CLOSED == CLOSED {
                break state;
            }
            match self
                .state
                .compare_exchange_weak(state, state | VALUE_SENT, AcqRel, Acquire)
            {
                Ok(_) => break state,
                Err(actual) => state = actual,
            }
        }
    }

    fn send(&self, t: u64, fixed: bool) -> Result<(), u64> {
        self.value.with_mut(|ptr| unsafe { *ptr = Some(t) });
        let prev = if fixed {
            self.set_complete_fixed()
        } else {
            self.set_complete_racy()
        };
        if prev & CLOSED == CLOSED {
            // `unsafe { return Err(inner.consume_value().unwrap()) }`
            return Err(self.consume_value().unwrap());
        }
        Ok(())
    }

    fn close(&self) {
        self.state.fetch_or(CLOSED, Acquire);
    }

    fn try_recv(&self) -> Result<u64, &'static str> {
        let state = self.state.load(Acquire);
        if state & VALUE_SENT == VALUE_SENT {
            match self.consume_value() {
                Some(v) => Ok(v),
                None => Err("Closed"),
            }
        } else if state & CLOSED == CLOSED {
            Err("Closed")
        } else {
            Err("Empty")
        }
    }
}

/// What each half got back.
fn outcome(sent: Result<(), u64>, got: Result<u64, &'static str>) -> String {
    format!("send={sent:?} try_recv={got:?}")
}

/// A value is delivered exactly once: either the receiver got it, or the
/// sender got it back.
fn once(o: &String) -> Grade {
    if o == "send=Ok(()) try_recv=Ok(7)" || o == "send=Err(7) try_recv=Err(\"Closed\")" {
        Grade::Acceptable
    } else {
        Grade::Forbidden
    }
}

fn with_state_machine(name: &str, fixed: bool) -> Scenario<String> {
    Scenario::new(name, move || {
        let inner = Arc::new(Inner::new());
        let tx = Arc::clone(&inner);
        let sender = thread::Builder::new()
            .name("sender")
            .spawn(move || tx.send(7, fixed))
            .unwrap();
        let rx = Arc::clone(&inner);
        let receiver = thread::Builder::new()
            .name("receiver")
            .spawn(move || {
                rx.close();
                rx.try_recv()
            })
            .unwrap();
        let sent = sender.join().unwrap();
        let got = receiver.join().unwrap();
        outcome(sent, got)
    })
    .expect(
        "the value is delivered once: to the receiver, or back to the sender",
        once,
    )
}

fn racy() -> Scenario<String> {
    with_state_machine("blind6b::oneshot_close_racy", false)
}

fn fixed() -> Scenario<String> {
    with_state_machine("blind6b::oneshot_close_fixed", true)
}

/// The channel under one lock: `(closed, value_sent, value)`.
#[derive(Debug, Default)]
struct Locked {
    closed: bool,
    sent: bool,
    value: Option<u64>,
}

fn locked() -> Scenario<String> {
    Scenario::new("blind6b::oneshot_close_mutex", || {
        let inner = Arc::new(Mutex::new(Locked::default()).named("chan"));
        let tx = Arc::clone(&inner);
        let sender = thread::Builder::new()
            .name("sender")
            .spawn(move || {
                let mut c = tx.lock().unwrap();
                if c.closed {
                    Err(7)
                } else {
                    c.value = Some(7);
                    c.sent = true;
                    Ok(())
                }
            })
            .unwrap();
        let rx = Arc::clone(&inner);
        let receiver = thread::Builder::new()
            .name("receiver")
            .spawn(move || {
                rx.lock().unwrap().closed = true;
                let mut c = rx.lock().unwrap();
                if c.sent {
                    c.value.take().ok_or("Closed")
                } else if c.closed {
                    Err("Closed")
                } else {
                    Err("Empty")
                }
            })
            .unwrap();
        let sent = sender.join().unwrap();
        let got = receiver.join().unwrap();
        outcome(sent, got)
    })
    .expect(
        "the value is delivered once: to the receiver, or back to the sender",
        once,
    )
}

#[test]
fn oneshot_close_racy_loom() {
    common::explore(&racy(), &common::loom()).assert_racy(Some(FailureKind::DataRace));
}

#[test]
fn oneshot_close_racy_shuttle() {
    common::explore(&racy(), &common::shuttle()).assert_racy(Some(FailureKind::Panic));
}

#[test]
fn oneshot_close_fixed_holds_loom() {
    common::explore(&fixed(), &common::loom()).assert_holds();
}

#[test]
fn oneshot_close_fixed_holds_shuttle() {
    common::explore(&fixed(), &common::shuttle()).assert_holds();
}

#[test]
fn oneshot_close_mutex_holds_loom() {
    common::explore(&locked(), &common::loom()).assert_holds();
}

#[test]
fn oneshot_close_mutex_holds_shuttle() {
    common::explore(&locked(), &common::shuttle()).assert_holds();
}
