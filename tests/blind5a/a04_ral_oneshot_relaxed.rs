//! # Rust Atomics and Locks ch. 5: a one-shot channel published with `Relaxed`
//!
//! Source: Mara Bos, *Rust Atomics and Locks*, ch. 5 ("Building Our Own
//! Channels"), "Safety Through Runtime Checks": a `Channel<T>` of one
//! `UnsafeCell<MaybeUninit<T>>` message, an `in_use: AtomicBool` swapped with
//! `Relaxed` (one sender only; correct, the book explains why) and a
//! `ready: AtomicBool` stored with `Release` by `send` and swapped with
//! `Acquire` by `receive`; the receiver polls `is_ready` (`Relaxed`).
//!
//! The bug (the variant transcribed here): `send` stores `ready` with
//! `Relaxed` instead of `Release`. The receiver's `Acquire` swap then reads
//! `true` from a store that releases nothing: the message write does not
//! happen before the message read. A data race on the message cell (loom).
//! shuttle runs every atomic as `SeqCst` and does not check cells: it cannot
//! see this bug (the README says so), so its right verdict is "nothing
//! found".
//!
//! ## Teacher marks (written before looking at racelab's marks)
//! 1. `sender`'s `store ready <- true` (`Relaxed`): kind `no_sync` ("this
//!    Relaxed store does not synchronise": the fix goes here, `Release`).
//!    Lenient: a `no_sync` mark on `main`'s `Acquire` swap of `ready` that
//!    says it read a store that releases nothing.
//! 2. `main`'s `read message` (in `receive`): kind `data_race` ("races with
//!    step N", N = `sender`'s `write message`). Lenient: the same on
//!    `sender`'s write.
//!
//! Spurious: any mark on `sender`'s `in_use` swap (Relaxed is right there);
//! a `no_sync` mark on `main`'s `is_ready` Relaxed load presented as the
//! cause (the book keeps it `Relaxed`); `lost_update`, `stale_check` marks.
//!
//! Control: the book's `Release` store.

use crate::common::{explore, loom, shuttle};
use racelab::explore::{FailureKind, Scenario};
use racelab::sync::atomic::{
    AtomicBool,
    Ordering::{self, Acquire, Relaxed, Release},
};
use racelab::sync::cell::UnsafeCell;
use racelab::sync::{hint, thread, Arc};

struct Channel {
    /// The message; 0 stands for `MaybeUninit::uninit()`.
    message: UnsafeCell<u64>,
    in_use: AtomicBool,
    ready: AtomicBool,
    /// The ordering `send` stores `ready` with.
    publish: Ordering,
}

// SAFETY: as in the book, `ready` is meant to order the message accesses.
unsafe impl Sync for Channel {}

impl Channel {
    fn send(&self, message: u64) {
        if self.in_use.swap(true, Relaxed) {
            panic!("can't send more than one message!");
        }
        self.message.with_mut(|p| unsafe { *p = message });
        self.ready.store(true, self.publish);
    }

    fn is_ready(&self) -> bool {
        self.ready.load(Relaxed)
    }

    fn receive(&self) -> u64 {
        if !self.ready.swap(false, Acquire) {
            panic!("no message available!");
        }
        self.message.with(|p| unsafe { *p })
    }
}

fn oneshot(publish: Ordering) -> Scenario<u64> {
    Scenario::new(format!("ral::oneshot_{publish:?}"), move || {
        let ch = Arc::new(Channel {
            message: UnsafeCell::new(0).named("message"),
            in_use: AtomicBool::new(false).named("in_use"),
            ready: AtomicBool::new(false).named("ready"),
            publish,
        });
        let tx = Arc::clone(&ch);
        let sender = thread::Builder::new()
            .name("sender")
            .spawn(move || tx.send(42))
            .unwrap();
        while !ch.is_ready() {
            hint::spin_loop(); // the book parks; a spin is the same to the model
        }
        let got = ch.receive();
        sender.join().unwrap();
        got
    })
    .expect_only(42)
}

#[test]
fn a04_relaxed_publish_loom() {
    explore(&oneshot(Relaxed), &loom()).assert_racy(Some(FailureKind::DataRace));
}

/// shuttle's documented blind spot: every atomic is `SeqCst` there and
/// cells are not race-checked, so "nothing found" is its right verdict.
#[test]
fn a04_relaxed_publish_shuttle_is_blind() {
    let report = explore(&oneshot(Relaxed), &shuttle());
    assert!(report.failure.is_none(), "shuttle cannot see a Relaxed publication");
}

#[test]
fn a04_control_release_holds() {
    explore(&oneshot(Release), &loom()).assert_holds();
    explore(&oneshot(Release), &shuttle()).assert_holds();
}
