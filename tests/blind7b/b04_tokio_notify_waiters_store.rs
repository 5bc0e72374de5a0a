//! # b04: tokio's `Notify::notify_waiters` drops a `notify_one` permit
//!
//! **Source.** tokio-rs/tokio pull request #3660, "sync: preserve permit
//! state in notify_waiters" (<https://github.com/tokio-rs/tokio/pull/3660>,
//! merged 2021-05). The description: "When there are no current waiters
//! (state is EMPTY or NOTIFIED), `Notify::notify_waiters` just bumps the
//! current generation counter and returns. But it does so non-atomically.
//! Since the lock is held we know that the generation counter is
//! untouched, and we cannot have entered state WAITING; we might however be
//! overwriting NOTIFIED by EMPTY or EMPTY by NOTIFIED if we race with
//! another thread. [...] if notify_waiters() races with notify_one(), we
//! might overwrite NOTIFIED by EMPTY and drop a permit." The fix: "Use an
//! atomic increment". The reviewer asked whether loom finds it; the author:
//! "that manages to reproduce the bug".
//!
//! **The program.** tokio's `Notify` of that time (`tokio/src/sync/notify.rs`):
//! `state: AtomicUsize` holds EMPTY (0) / WAITING (1) / NOTIFIED (2) in its
//! two low bits and the number of `notify_waiters` calls above them;
//! `waiters: Mutex<list>`. `notify_one` loads the state and, while it is
//! EMPTY or NOTIFIED, compare-exchanges it to NOTIFIED *without the lock*.
//! `notify_waiters` takes the lock, loads the state and, seeing no waiter,
//! does `state.store(curr + (1 << 2), SeqCst)`. alice calls `notify_one`,
//! bob `notify_waiters`, nobody waits. Afterwards main polls a
//! `notified()`: it completes at once if the permit is there (tokio's poll
//! consumes NOTIFIED by compare-exchange), else it would wait forever.
//!
//! **The bug.** bob loads the state (EMPTY, 0 calls), alice's
//! compare-exchange sets NOTIFIED, bob stores "EMPTY, 1 call" computed from
//! his stale load: alice's permit is gone, and the next `notified().await`
//! hangs. A lost update on `state`, on both backends.
//!
//! **Teacher marks (written before the first run).** Per backend, one mark:
//! bob's `store state <- 4`, kind `lost_update`: "overwrites step N
//! (alice's update, NOTIFIED, is lost)": bob computed it from his load at
//! step K, before alice's compare-exchange. Lenient: a mark on bob's stale
//! load, or on alice's compare-exchange naming bob's store.
//! - No mark belongs on: bob's lock of `waiters` (a note that alice does not
//!   take it is true and welcome), alice's first load, main's final
//!   compare-exchange that finds no permit (it is the symptom; a mark there
//!   that names bob's store is an accepted extra).
//!
//! **Controls.** (1) tokio's fix: `state.fetch_add(1 << 2, SeqCst)`.
//! (2) A different discipline: `notify_one` also takes the `waiters` lock
//! before touching the state, so the load and store in `notify_waiters`
//! cannot be split.

use racelab::explore::Scenario;
use racelab::sync::atomic::{AtomicUsize, Ordering::SeqCst};
use racelab::sync::{thread, Arc, Mutex};

use crate::common;

const NOTIFY_WAITERS_SHIFT: usize = 2;
const STATE_MASK: usize = (1 << NOTIFY_WAITERS_SHIFT) - 1;
const NOTIFY_WAITERS_CALLS_MASK: usize = !STATE_MASK;
const EMPTY: usize = 0;
const WAITING: usize = 1;
const NOTIFIED: usize = 2;

fn set_state(data: usize, state: usize) -> usize {
    (data & NOTIFY_WAITERS_CALLS_MASK) | (state & STATE_MASK)
}

fn get_state(data: usize) -> usize {
    data & STATE_MASK
}

fn inc_num_notify_waiters_calls(data: usize) -> usize {
    data + (1 << NOTIFY_WAITERS_SHIFT)
}

#[derive(Clone, Copy)]
enum Variant {
    /// tokio before #3660.
    Racy,
    /// tokio's fix.
    FetchAdd,
    /// Control 2: `notify_one` takes the lock too.
    Locked,
}

struct Notify {
    state: AtomicUsize,
    /// The intrusive list of waiting tasks; nobody waits here, so a count.
    waiters: Mutex<usize>,
    variant: Variant,
}

impl Notify {
    fn new(variant: Variant) -> Self {
        Notify {
            state: AtomicUsize::new(0).named("state"),
            waiters: Mutex::new(0usize).named("waiters"),
            variant,
        }
    }

    fn notify_one(&self) {
        let _lock = match self.variant {
            Variant::Locked => Some(self.waiters.lock().unwrap()),
            _ => None,
        };
        let mut curr = self.state.load(SeqCst);
        while let EMPTY | NOTIFIED = get_state(curr) {
            let new = set_state(curr, NOTIFIED);
            match self.state.compare_exchange(curr, new, SeqCst, SeqCst) {
                Ok(_) => return,
                Err(actual) => curr = actual,
            }
        }
        // WAITING: tokio locks `waiters` and wakes one; nobody waits here.
        unreachable!("no task waits in this scenario");
    }

    fn notify_waiters(&self) {
        let waiters = self.waiters.lock().unwrap();
        let curr = self.state.load(SeqCst);
        if let EMPTY | NOTIFIED = get_state(curr) {
            match self.variant {
                Variant::FetchAdd => {
                    self.state.fetch_add(1 << NOTIFY_WAITERS_SHIFT, SeqCst);
                }
                _ => self.state.store(inc_num_notify_waiters_calls(curr), SeqCst),
            }
            drop(waiters);
            return;
        }
        assert_eq!(get_state(curr), WAITING);
        unreachable!("no task waits in this scenario");
    }

    /// Polling a fresh `notified()`: consumes the permit if there is one.
    fn poll_notified(&self) -> bool {
        let curr = self.state.load(SeqCst);
        self.state
            .compare_exchange(set_state(curr, NOTIFIED), set_state(curr, EMPTY), SeqCst, SeqCst)
            .is_ok()
    }
}

fn scenario(name: &str, variant: Variant) -> Scenario<String> {
    Scenario::new(name, move || {
        let notify = Arc::new(Notify::new(variant));
        let n = Arc::clone(&notify);
        let alice = thread::Builder::new()
            .name("alice")
            .spawn(move || n.notify_one())
            .unwrap();
        let n = Arc::clone(&notify);
        let bob = thread::Builder::new()
            .name("bob")
            .spawn(move || n.notify_waiters())
            .unwrap();
        alice.join().unwrap();
        bob.join().unwrap();
        if notify.poll_notified() {
            "notified() completes".to_string()
        } else {
            "notified() waits forever".to_string()
        }
    })
    .expect_only("notified() completes".to_string())
}

#[test]
fn loom_racy() {
    let report = common::explore(&scenario("b04::store", Variant::Racy), &common::loom());
    report.assert_racy(Some(racelab::explore::FailureKind::ForbiddenOutcome));
}

#[test]
fn shuttle_racy() {
    let report = common::explore(&scenario("b04::store", Variant::Racy), &common::shuttle());
    report.assert_racy(Some(racelab::explore::FailureKind::ForbiddenOutcome));
}

#[test]
fn loom_control_fetch_add() {
    common::explore(&scenario("b04::fetch_add", Variant::FetchAdd), &common::loom()).assert_holds();
}

#[test]
fn shuttle_control_fetch_add() {
    common::explore(&scenario("b04::fetch_add", Variant::FetchAdd), &common::shuttle()).assert_holds();
}

#[test]
fn loom_control_locked() {
    common::explore(&scenario("b04::locked", Variant::Locked), &common::loom()).assert_holds();
}

#[test]
fn shuttle_control_locked() {
    common::explore(&scenario("b04::locked", Variant::Locked), &common::shuttle()).assert_holds();
}
