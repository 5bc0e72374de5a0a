//! **LLNL POSIX Threads tutorial, exercise `bug4.c`: a wait with no
//! predicate.**
//!
//! Source: B. Barney, "POSIX Threads Programming", Lawrence Livermore
//! National Laboratory, Exercise 2 ("The bug4.c program is yet another
//! example of what can go wrong when using condition variables"),
//! <https://hpc-tutorials.llnl.gov/posix/exercise2/>; code in
//! `LLNL/HPC-Tutorials`, `posix/samples/bug4.c` and `bug4fix.c`.
//!
//! The program: `sub1` locks `count_mutex`, prints count and calls
//! `pthread_cond_wait(&count_condvar, ...)` at once, then does `count++`.
//! Two `sub2` threads each loop `ITERATIONS` times: lock, `count++`, and
//! `if (count == THRESHOLD) pthread_cond_signal(...)`. Scaled down here:
//! `ITERATIONS = 1`, `THRESHOLD = 2` (two sub2 threads, so the signal is
//! sent exactly once), four threads with main.
//!
//! The bug: `sub1` waits without checking whether `count` already reached
//! `THRESHOLD`. If both `sub2` threads finish first, the only signal is
//! sent while nobody waits, and is lost: `sub1` sleeps forever, and main,
//! joining it, hangs.
//!
//! Expected bad execution: sub2a `lock count -> 0`, `unlock 1`; sub2b
//! `lock count -> 1`, `notify_one count_condvar` (nobody waits),
//! `unlock 2`; sub1 `lock count -> 2`, `wait count_condvar` (forever);
//! main `join sub1` (forever).
//!
//! **Teacher marks** (2 per backend):
//! 1. sub2b's `notify_one count_condvar`: kind `lost_wakeup`: "lost
//!    wake-up: nobody waits yet; sub1 waits at step N and is never woken".
//! 2. sub1's `wait count_condvar`: kind `lost_wakeup` (accepted too:
//!    `stale_check` or `deadlock` if the text says it waits for a signal
//!    already sent at step M, with count already 2): "waits without checking
//!    count, which is already THRESHOLD; the signal came at step M".
//!
//! No mark belongs on: sub2a's increment, the `unlock` lines, main's join
//! (a true "waits for sub1" is fine, not blame), the spawns.
//!
//! Controls: (1) the tutorial's `bug4fix.c`: `if (count < THRESHOLD)` wait,
//! else skip the work ("Probably missed signal"); (2) another primitive: the
//! signaller sends a message on a channel, which keeps it until sub1
//! receives it, so a signal sent early is not lost.

use racelab::explore::{FailureKind, Grade, Scenario};
use racelab::sync::{mpsc, thread, Arc, Condvar, Mutex};

use crate::common;

const THRESHOLD: u32 = 2;

fn any_end(_: &String) -> Grade {
    Grade::Acceptable
}

fn bug4(name: &'static str, checks_first: bool) -> Scenario<String> {
    Scenario::new(name, move || {
        let count = Arc::new(Mutex::new(0u32).named("count"));
        let cv = Arc::new(Condvar::new().named("count_condvar"));
        let (c, v) = (Arc::clone(&count), Arc::clone(&cv));
        let sub1 = thread::Builder::new()
            .name("sub1")
            .spawn(move || {
                let mut g = c.lock().unwrap();
                if checks_first && *g >= THRESHOLD {
                    return "sub1 skipped: probably missed signal".to_owned();
                }
                g = v.wait(g).unwrap();
                *g += 1;
                "sub1 worked".to_owned()
            })
            .unwrap();
        let subs: Vec<_> = ["sub2a", "sub2b"]
            .into_iter()
            .map(|name| {
                let (c, v) = (Arc::clone(&count), Arc::clone(&cv));
                thread::Builder::new()
                    .name(name)
                    .spawn(move || {
                        let mut g = c.lock().unwrap();
                        *g += 1;
                        if *g == THRESHOLD {
                            v.notify_one();
                        }
                    })
                    .unwrap()
            })
            .collect();
        let said = sub1.join().unwrap();
        for s in subs {
            s.join().unwrap();
        }
        said
    })
    .expect("every thread finishes", any_end)
}

fn racy() -> Scenario<String> {
    bug4("blind7a::llnl_bug4", false)
}

/// Control 2: the threshold is announced by a message.
fn channel() -> Scenario<String> {
    Scenario::new("blind7a::llnl_bug4_channel", || {
        let count = Arc::new(Mutex::new(0u32).named("count"));
        let (tx, rx) = mpsc::channel_named::<()>("threshold");
        let c = Arc::clone(&count);
        let sub1 = thread::Builder::new()
            .name("sub1")
            .spawn(move || {
                rx.recv().unwrap();
                *c.lock().unwrap() += 1;
            })
            .unwrap();
        let subs: Vec<_> = ["sub2a", "sub2b"]
            .into_iter()
            .map(|name| {
                let (c, tx) = (Arc::clone(&count), tx.clone());
                thread::Builder::new()
                    .name(name)
                    .spawn(move || {
                        let mut g = c.lock().unwrap();
                        *g += 1;
                        if *g == THRESHOLD {
                            tx.send(()).unwrap();
                        }
                    })
                    .unwrap()
            })
            .collect();
        drop(tx);
        sub1.join().unwrap();
        for s in subs {
            s.join().unwrap();
        }
        let n = *count.lock().unwrap();
        format!("count = {n}")
    })
    .expect_only("count = 3".to_owned())
}

#[test]
fn racy_loom() {
    common::explore(&racy(), &common::loom()).assert_racy(Some(FailureKind::Deadlock));
}

#[test]
fn racy_shuttle() {
    common::explore(&racy(), &common::shuttle()).assert_racy(Some(FailureKind::Deadlock));
}

#[test]
fn bug4fix_holds() {
    let s = bug4("blind7a::llnl_bug4fix", true);
    common::explore(&s, &common::loom()).assert_holds();
    common::explore(&s, &common::shuttle()).assert_holds();
}

#[test]
fn channel_holds() {
    common::explore(&channel(), &common::loom()).assert_holds();
    common::explore(&channel(), &common::shuttle()).assert_holds();
}
