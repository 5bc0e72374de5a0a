//! # b04: crossbeam's blocking `MsQueue::pop`, a `Relaxed` ready flag guarding the data slot (weak memory)
//!
//! **Source.** crossbeam-rs/crossbeam issue #97 and pull request #98, "Fixes
//! ordering bug in ms queue" (Carl Lerche, December 2016, commit f9e8a1c):
//! "`Signal.ready` is being used to guard access to the data slot. This
//! requires using acquire / release ordering vs. relaxed. I believe that the
//! original code was written with the assumption that `thread::park() /
//! unpark()` was able to provide the necessary ordering, but this is not
//! true given that park() can spuriously wakeup". The diff, in
//! `src/sync/ms_queue.rs`: the pusher does `(*signal).data =
//! Some(cache.into_data()); (*signal).ready.store(true, Relaxed);
//! (*signal).thread.unpark();` and the blocked popper does `while
//! !signal.ready.load(Relaxed) { thread::park(); } return
//! signal.data.unwrap();` — both `Relaxed` became `Release` / `Acquire`.
//! (Qin et al., PLDI 2020, §6.2, count such wrong orderings among Rust's
//! non-blocking bugs.)
//!
//! **The program, reduced.** A popper found the queue empty and has
//! already pushed its `Signal` (setup); it spins on `ready` (a
//! `thread::yield_now` stands for `park`, which may return spuriously at
//! any time, so the flag is the only guard) and then reads `data`. The
//! pusher hands its value over: `data = Some(42)` (an `UnsafeCell`), then
//! `ready.store(true, Relaxed)`.
//!
//! **The bug.** A `Relaxed` store and a `Relaxed` load of `ready` create no
//! happens-before edge: the popper can see `ready == true` and read `data`
//! while the pusher's write is not ordered before it — a data race on the
//! slot (undefined behaviour; in practice a stale `None` unwrapped). Only a
//! weak-memory model sees it: shuttle runs every atomic as `SeqCst`
//! (README), so it cannot see this bug at all, and says nothing (its test
//! asserts that it finds nothing; 0 teacher marks there).
//!
//! **Teacher marks** (loom).
//! 1. `popper`'s read of `data` (`with`), kind `data_race`: "races with the
//!    pusher's write of `data` at step N: nothing orders them".
//! 2. `popper`'s `load ready -> true` (Relaxed), kind `no_sync`: "this
//!    Relaxed load reads the pusher's store of step M but does not
//!    synchronise with it, so the write of `data` before that store is not
//!    ordered before the read after this load; make it Acquire (and the
//!    store Release)". Lenient: the `no_sync` mark on the pusher's Relaxed
//!    `store ready <- true` instead.
//!
//! No mark on the spin loop's earlier `load ready -> false` iterations, nor
//! on the setup.
//!
//! **Controls.** The fix of #98 (`Release` store, `Acquire` load), and the
//! value handed over through an `mpsc` channel (a different primitive: the
//! channel's send happens-before the receive that gets it).

use racelab::explore::{FailureKind, Scenario};
use racelab::sync::atomic::{AtomicBool, Ordering};
use racelab::sync::cell::UnsafeCell;
use racelab::sync::{mpsc, thread, Arc};

use crate::common;

struct Signal {
    data: UnsafeCell<Option<u32>>,
    ready: AtomicBool,
}

// SAFETY: as in crossbeam, `ready` is meant to guard `data`: the pusher
// writes `data` only before setting `ready`, the popper reads it only after
// seeing `ready` — which is sound only with Release/Acquire (the bug).
unsafe impl Sync for Signal {}

fn handoff(store: Ordering, load: Ordering, name: &'static str) -> Scenario<String> {
    Scenario::new(name, move || {
        let signal = Arc::new(Signal {
            data: UnsafeCell::new(None).named("signal.data"),
            ready: AtomicBool::new(false).named("signal.ready"),
        });
        let s = Arc::clone(&signal);
        let popper = thread::Builder::new()
            .name("popper")
            .spawn(move || {
                while !s.ready.load(load) {
                    thread::yield_now(); // thread::park()
                }
                // SAFETY: the bug under test (see above).
                s.data.with(|p| unsafe { *p })
            })
            .unwrap();
        let s = Arc::clone(&signal);
        let pusher = thread::Builder::new()
            .name("pusher")
            .spawn(move || {
                // SAFETY: the popper reads `data` only after `ready`.
                s.data.with_mut(|p| unsafe { *p = Some(42) });
                s.ready.store(true, store);
                // (*signal).thread.unpark()
            })
            .unwrap();
        pusher.join().unwrap();
        let got = popper.join().unwrap();
        format!("popped {got:?}")
    })
    .expect_only("popped Some(42)".to_string())
}

fn racy() -> Scenario<String> {
    handoff(
        Ordering::Relaxed,
        Ordering::Relaxed,
        "blind10b::b04_ms_queue_signal_relaxed",
    )
}

fn fixed_release_acquire() -> Scenario<String> {
    handoff(
        Ordering::Release,
        Ordering::Acquire,
        "blind10b::b04_ms_queue_signal_release_acquire",
    )
}

fn fixed_channel() -> Scenario<String> {
    Scenario::new("blind10b::b04_ms_queue_signal_channel", || {
        let (tx, rx) = mpsc::channel_named::<u32>("signal");
        let popper = thread::Builder::new()
            .name("popper")
            .spawn(move || rx.recv().ok())
            .unwrap();
        let pusher = thread::Builder::new()
            .name("pusher")
            .spawn(move || {
                tx.send(42).unwrap();
            })
            .unwrap();
        pusher.join().unwrap();
        let got = popper.join().unwrap();
        format!("popped {got:?}")
    })
    .expect_only("popped Some(42)".to_string())
}

#[test]
fn b04_racy_loom() {
    let report = common::explore(&racy(), &common::loom());
    report.assert_racy(Some(FailureKind::DataRace));
}

/// shuttle runs every atomic as `SeqCst`: it cannot see this bug, and must
/// not pretend to (no failure, and so no marks to grade).
#[test]
fn b04_racy_shuttle_cannot_see_it() {
    let report = common::explore(&racy(), &common::shuttle());
    assert!(report.failure.is_none(), "shuttle found something it cannot see");
}

#[test]
fn b04_fixed_release_acquire_holds() {
    common::explore(&fixed_release_acquire(), &common::loom()).assert_holds();
    common::explore(&fixed_release_acquire(), &common::shuttle()).assert_holds();
}

#[test]
fn b04_fixed_channel_holds() {
    common::explore(&fixed_channel(), &common::loom()).assert_holds();
    common::explore(&fixed_channel(), &common::shuttle()).assert_holds();
}
