//! # rayon's sleep protocol without its two `SeqCst` fences
//!
//! **Source.** rayon-core's `src/sleep/README.md`, sections "The jobs event
//! counter and deadlock" and "Using seq-cst fences to prevent deadlock"
//! (<https://github.com/rayon-rs/rayon/blob/main/rayon-core/src/sleep/README.md>),
//! the protocol of Rayon RFC #5 (<https://github.com/rayon-rs/rfcs/pull/5>).
//! The README's race: "Thread A looks for work, finds none. Thread B posts
//! work but sees no sleeping threads. Thread A goes to sleep." Its final
//! check: the sleepy thread increments the sleeper count (IncSleepers), then
//! reads the injector queue (ReadJob); the injecting thread pushes the job
//! (PushJob, a release write) and reads the sleeper count (ReadSleepers).
//! "Either PushFence or SleepFence must come first": without the two
//! `SeqCst` fences, each side may miss the other's write (store buffering).
//!
//! **Program.** `worker`: `sleepers.fetch_add(1, AcqRel)`, then
//! `jobs.load(Acquire)`; if it sees no job it sleeps on a condvar until
//! woken. `injector`: `jobs.store(1, Release)`, then `sleepers.load(Acquire)`;
//! it wakes the worker only if it sees a sleeper. Main joins both.
//!
//! **Bug.** Weak memory only (store buffering): the worker's load of `jobs`
//! reads 0 although the injector stored 1, and the injector's load of
//! `sleepers` reads 0 although the worker incremented it. Nobody wakes the
//! worker, which sleeps for ever with a job waiting: a deadlock (main joins
//! it). Under a sequentially consistent order one of the two loads must see
//! the other's write, so shuttle (every atomic `SeqCst`) cannot see it: its
//! test asserts that shuttle finds nothing, 0 teacher marks there.
//!
//! **Teacher marks** (loom):
//! 1. worker's `load jobs -> 0`, kind `stale_read` (or `no_sync`): "stale:
//!    the injector's `store jobs <- 1` (step N) is not visible; nothing orders
//!    it before this load (a `SeqCst` fence on each side would)".
//! 2. injector's `load sleepers -> 0`, kind `stale_read` (or `no_sync`):
//!    "stale: the worker's `fetch_add sleepers` (step M) already made it 1".
//!
//! A `deadlock` / `lost_wakeup` mark on the worker's `wait` is welcome but
//! not counted. No mark belongs on the injector's `store jobs <- 1` or the
//! worker's `fetch_add` (both correct writes), on the spawns or the joins.

use crate::common;
use racelab::explore::{FailureKind, Scenario};
use racelab::sync::atomic::{fence, AtomicUsize, Ordering::*};
use racelab::sync::{thread, Arc, Condvar, Mutex};

struct Sleep {
    jobs: AtomicUsize,
    sleepers: AtomicUsize,
    woken: Mutex<bool>,
    cv: Condvar,
}

fn sleep_state() -> Arc<Sleep> {
    Arc::new(Sleep {
        jobs: AtomicUsize::new(0).named("jobs"),
        sleepers: AtomicUsize::new(0).named("sleepers"),
        woken: Mutex::new(false).named("woken"),
        cv: Condvar::new().named("cv"),
    })
}

/// `fences`: rayon's fix (a `SeqCst` fence after IncSleepers and after
/// PushJob).
fn scenario(name: &str, fences: bool) -> Scenario<usize> {
    Scenario::new(name, move || {
        let s = sleep_state();
        let w = Arc::clone(&s);
        let worker = thread::Builder::new()
            .name("worker")
            .spawn(move || {
                w.sleepers.fetch_add(1, AcqRel); // IncSleepers
                if fences {
                    fence(SeqCst); // SleepFence
                }
                if w.jobs.load(Acquire) == 0 {
                    // ReadJob saw nothing: sleep until signalled.
                    let mut g = w.woken.lock().unwrap();
                    while !*g {
                        g = w.cv.wait(g).unwrap();
                    }
                }
                w.jobs.load(Acquire) // the job the worker runs
            })
            .unwrap();
        let i = Arc::clone(&s);
        let injector = thread::Builder::new()
            .name("injector")
            .spawn(move || {
                i.jobs.store(1, Release); // PushJob
                if fences {
                    fence(SeqCst); // PushFence
                }
                if i.sleepers.load(Acquire) > 0 {
                    // ReadSleepers saw a sleeper: wake it.
                    *i.woken.lock().unwrap() = true;
                    i.cv.notify_one();
                }
            })
            .unwrap();
        injector.join().unwrap();
        worker.join().unwrap()
    })
    .expect_only(1)
}

/// Another primitive: the job queue and the sleeper count under one mutex,
/// so the check and the sleep are one step for the injector.
fn locked() -> Scenario<usize> {
    Scenario::new("blind12a::rayon_sleep_locked", || {
        let state = Arc::new(Mutex::new((0usize, 0usize)).named("state")); // (jobs, sleepers)
        let cv = Arc::new(Condvar::new().named("cv"));
        let (w, wcv) = (Arc::clone(&state), Arc::clone(&cv));
        let worker = thread::Builder::new()
            .name("worker")
            .spawn(move || {
                let mut g = w.lock().unwrap();
                g.1 += 1;
                while g.0 == 0 {
                    g = wcv.wait(g).unwrap();
                }
                g.0
            })
            .unwrap();
        let (i, icv) = (Arc::clone(&state), Arc::clone(&cv));
        let injector = thread::Builder::new()
            .name("injector")
            .spawn(move || {
                let mut g = i.lock().unwrap();
                g.0 = 1;
                if g.1 > 0 {
                    icv.notify_one();
                }
            })
            .unwrap();
        injector.join().unwrap();
        worker.join().unwrap()
    })
    .expect_only(1)
}

#[test]
fn racy_loom() {
    let r = common::explore(&scenario("blind12a::rayon_sleep_no_fences", false), &common::loom());
    r.assert_racy(Some(FailureKind::Deadlock));
}

#[test]
fn racy_shuttle_cannot_see_store_buffering() {
    let r = common::explore(&scenario("blind12a::rayon_sleep_no_fences", false), &common::shuttle());
    assert!(
        r.failure.is_none(),
        "shuttle runs atomics as SeqCst: no store buffering"
    );
}

#[test]
fn controls_hold() {
    for s in [scenario("blind12a::rayon_sleep_seqcst_fences", true), locked()] {
        common::explore(&s, &common::loom()).assert_holds();
        common::explore(&s, &common::shuttle()).assert_holds();
    }
}
