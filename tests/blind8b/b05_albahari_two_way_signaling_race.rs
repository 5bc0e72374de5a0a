//! # b05: Albahari's "Two-way signaling and races": a `_go` flag set twice
//!
//! **Source.** Joseph Albahari, "Threading in C#", Part 4, "Signaling with
//! Wait and Pulse", section "Two-Way Signaling and Races"
//! (<https://www.albahari.com/threading/part4.aspx#_Two-Way_Signaling_and_Races>):
//!
//! ```csharp
//! class Race
//! {
//!   static readonly object _locker = new object();
//!   static bool _go;
//!
//!   static void Main()
//!   {
//!     new Thread (SaySomething).Start();
//!     for (int i = 0; i < 5; i++)
//!       lock (_locker) { _go = true; Monitor.PulseAll (_locker); }
//!   }
//!
//!   static void SaySomething()
//!   {
//!     for (int i = 0; i < 5; i++)
//!       lock (_locker)
//!       {
//!         while (!_go) Monitor.Wait (_locker);
//!         _go = false;
//!         Console.WriteLine ("Wassup?");
//!       }
//!   }
//! }
//! ```
//!
//! Expected output: "Wassup?" five times; actual: "Wassup?" once, then a
//! hang. Albahari (paraphrased): the program is flawed, a race condition:
//! the main thread's loop can run through its iterations whenever the
//! worker does not hold the lock, even before the worker starts. The fix
//! (`Solved`) adds a `_ready` flag the main thread waits for before it sets
//! `_go` again.
//!
//! **Transcription.** Two rounds instead of five. `_go` is a `Mutex<bool>`
//! named `go`, `Monitor.Wait/PulseAll` a `Condvar` named `cv`. The worker is
//! thread `worker`; main joins it at the end (the process would not exit
//! with a foreground thread still waiting) and returns how many times it
//! said "Wassup?".
//!
//! **The bad execution.** main sets `go` (true) and pulses, then sets it
//! again while it is still true (the worker has not taken the first): the
//! two signals merge into one. The worker wakes once, clears `go`, says
//! "Wassup?", and in round two waits for a `go` that never comes; main
//! waits in `join worker`. A deadlock.
//!
//! **Teacher marks.**
//! 1. main's second set of `go` (its second `lock go -> true` / `unlock go
//!    <- true`, or the `notify_all` after it), kind `lost_wakeup`: "main
//!    signals again while go is still true from step N: the worker has not
//!    taken the first signal, so this one merges with it and is lost."
//! 2. the worker's last `wait cv`, kind `deadlock`: "worker waits for a go
//!    nobody will set: main has finished its rounds and waits in join for
//!    worker." (A mark on main's `join worker` naming the same pair is the
//!    other end: lenient.)
//!
//! No mark on main's first signal (it is taken), on the worker's first
//! round, nor on the spawn.
//!
//! **Controls.** (a) Albahari's `Solved`: a `_ready` flag set by the worker;
//! main waits for it before each `go`; (b) another primitive: a counting
//! `Semaphore` (main releases twice, the worker acquires twice): a count
//! does not merge two signals into one.

use racelab::explore::{FailureKind, Scenario};
use racelab::sync::{thread, Arc, Condvar, Mutex, Semaphore};

use crate::common;

const ROUNDS: usize = 2;

fn race() -> Scenario<usize> {
    Scenario::new("b05::two_way_signaling_race", || {
        let go = Arc::new((Mutex::new(false).named("go"), Condvar::new().named("cv")));
        let g = Arc::clone(&go);
        let worker = thread::Builder::new()
            .name("worker")
            .spawn(move || {
                let (lock, cv) = &*g;
                let mut said = 0;
                for _ in 0..ROUNDS {
                    let mut go = lock.lock().unwrap();
                    while !*go {
                        go = cv.wait(go).unwrap();
                    }
                    *go = false;
                    said += 1; // Console.WriteLine ("Wassup?")
                }
                said
            })
            .unwrap();
        let (lock, cv) = &*go;
        for _ in 0..ROUNDS {
            let mut go = lock.lock().unwrap();
            *go = true;
            cv.notify_all();
            drop(go);
        }
        worker.join().unwrap()
    })
    .expect_only(ROUNDS)
}

#[test]
fn loom_finds_the_merged_signal() {
    let report = common::explore(&race(), &common::loom());
    report.assert_racy(Some(FailureKind::Deadlock));
}

#[test]
fn shuttle_finds_the_merged_signal() {
    let report = common::explore(&race(), &common::shuttle());
    report.assert_racy(Some(FailureKind::Deadlock));
}

/// `(ready, go)`.
fn solved() -> Scenario<usize> {
    Scenario::new("b05::two_way_signaling_solved", || {
        let state = Arc::new((Mutex::new((false, false)).named("ready_go"), Condvar::new().named("cv")));
        let s = Arc::clone(&state);
        let worker = thread::Builder::new()
            .name("worker")
            .spawn(move || {
                let (lock, cv) = &*s;
                let mut said = 0;
                for _ in 0..ROUNDS {
                    let mut st = lock.lock().unwrap();
                    st.0 = true; // _ready = true
                    cv.notify_all();
                    while !st.1 {
                        st = cv.wait(st).unwrap();
                    }
                    st.1 = false;
                    said += 1;
                }
                said
            })
            .unwrap();
        let (lock, cv) = &*state;
        for _ in 0..ROUNDS {
            let mut st = lock.lock().unwrap();
            while !st.0 {
                st = cv.wait(st).unwrap();
            }
            st.0 = false;
            st.1 = true;
            cv.notify_all();
        }
        worker.join().unwrap()
    })
    .expect_only(ROUNDS)
}

#[test]
fn loom_solved_holds() {
    common::explore(&solved(), &common::loom()).assert_holds();
}

#[test]
fn shuttle_solved_holds() {
    common::explore(&solved(), &common::shuttle()).assert_holds();
}

fn semaphore() -> Scenario<usize> {
    Scenario::new("b05::two_way_signaling_semaphore", || {
        let go = Arc::new(Semaphore::new(0).named("go"));
        let g = Arc::clone(&go);
        let worker = thread::Builder::new()
            .name("worker")
            .spawn(move || {
                let mut said = 0;
                for _ in 0..ROUNDS {
                    g.acquire();
                    said += 1;
                }
                said
            })
            .unwrap();
        for _ in 0..ROUNDS {
            go.release();
        }
        worker.join().unwrap()
    })
    .expect_only(ROUNDS)
}

#[test]
fn loom_semaphore_holds() {
    common::explore(&semaphore(), &common::loom()).assert_holds();
}

#[test]
fn shuttle_semaphore_holds() {
    common::explore(&semaphore(), &common::shuttle()).assert_holds();
}
