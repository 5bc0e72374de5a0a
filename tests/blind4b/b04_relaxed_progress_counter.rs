//! Two workers each compute a partial sum, store it in their own
//! `AtomicU64` slot, and bump a shared `finished` counter; the main thread
//! shows progress by polling `finished` and, when it reaches 2, adds the
//! partials up ("they are all atomics, so Relaxed is enough, right?").
//!
//! The bug: `finished` is bumped and read with `Relaxed`. Reading 2 from it
//! does not synchronise with the workers, so their earlier `Relaxed` stores
//! to the partial slots need not be visible yet: main can read a partial as
//! 0 (a stale read) and report a wrong total. Only loom's weak-memory model
//! shows it; shuttle runs every atomic as SeqCst.
//!
//! Teacher marks (written before looking at racelab's marks):
//! 1. main's `load partialN -> 0` after the spin (whichever partial read 0):
//!    **stale read**, the worker's `store partialN <- ...` came before it.
//! 2. main's `load finished -> 2` (Relaxed) that ended the wait: **missing
//!    synchronisation** (no_sync), a Relaxed load does not synchronise with
//!    the workers' increments (should be Acquire).
//!    Lenient: the no_sync mark on the stale slot's worker's `fetch_add
//!    finished` (Relaxed, should be Release).
//!
//! Spurious: lost update on `finished` (fetch_add loses nothing), data race
//! (no cells), stale check, a mark on the spinning loads that read 0 or 1.
//!
//! Shuttle's verdict: holds (it cannot see weak memory; documented).

use racelab::explore::{Explorer, Scenario};
use racelab::sync::atomic::{AtomicU16, AtomicU64, Ordering};
use racelab::sync::{mpsc, thread, Arc};

use crate::common::{expect_bug, expect_holds};

struct Progress {
    partial: [AtomicU64; 2],
    finished: AtomicU16,
}

fn work(i: u64) -> u64 {
    // "Sum of squares of this worker's half."
    (i * 2 + 1..=i * 2 + 2).map(|x| x * x).sum()
}

fn scenario(name: &str, bump: Ordering, poll: Ordering) -> Scenario<u64> {
    Scenario::new(name, move || {
        let p = Arc::new(Progress {
            partial: [AtomicU64::new(0).named("partial0"), AtomicU64::new(0).named("partial1")],
            finished: AtomicU16::new(0).named("finished"),
        });
        let handles: Vec<_> = (0..2u64)
            .map(|i| {
                let p = Arc::clone(&p);
                thread::Builder::new()
                    .name(format!("w{i}"))
                    .spawn(move || {
                        p.partial[i as usize].store(work(i), Ordering::Relaxed);
                        p.finished.fetch_add(1, bump);
                    })
                    .unwrap()
            })
            .collect();
        while p.finished.load(poll) < 2 {
            thread::yield_now();
        }
        let total = p.partial[0].load(Ordering::Relaxed) + p.partial[1].load(Ordering::Relaxed);
        for h in handles {
            h.join().unwrap();
        }
        total
    })
    .expect_only(work(0) + work(1))
}

/// Another fix with another primitive: the workers send their partials
/// over a channel and main receives two.
fn channel_scenario() -> Scenario<u64> {
    Scenario::new("b04::channel", || {
        let (tx, rx) = mpsc::channel_named::<u64>("partials");
        let handles: Vec<_> = (0..2u64)
            .map(|i| {
                let tx = tx.clone();
                thread::Builder::new()
                    .name(format!("w{i}"))
                    .spawn(move || tx.send(work(i)).unwrap())
                    .unwrap()
            })
            .collect();
        let total = rx.recv().unwrap() + rx.recv().unwrap();
        for h in handles {
            h.join().unwrap();
        }
        total
    })
    .expect_only(work(0) + work(1))
}

fn racy() -> Scenario<u64> {
    scenario("b04::relaxed_progress", Ordering::Relaxed, Ordering::Relaxed)
}

fn fixed() -> Scenario<u64> {
    scenario("b04::release_acquire_progress", Ordering::Release, Ordering::Acquire)
}

#[test]
fn loom_finds_stale_partial() {
    expect_bug(&racy(), &Explorer::loom());
}

#[test]
fn shuttle_cannot_see_it() {
    // Documented: shuttle treats every atomic as SeqCst.
    expect_holds(&racy(), &Explorer::shuttle());
}

#[test]
fn loom_fix_holds() {
    expect_holds(&fixed(), &Explorer::loom());
}

#[test]
fn shuttle_fix_holds() {
    expect_holds(&fixed(), &Explorer::shuttle());
}

#[test]
fn loom_channel_fix_holds() {
    expect_holds(&channel_scenario(), &Explorer::loom());
}

#[test]
fn shuttle_channel_fix_holds() {
    expect_holds(&channel_scenario(), &Explorer::shuttle());
}
