//! # Sleep and wake-up without `set_current_state`'s barrier: a lost wake-up
//!
//! **Source.** The Linux kernel's `Documentation/memory-barriers.txt`,
//! section "SLEEP AND WAKE-UP FUNCTIONS"
//! (<https://www.kernel.org/doc/Documentation/memory-barriers.txt>; read in
//! the torvalds/linux tree). The sleeper is
//!
//! ```text
//! for (;;) {
//!     set_current_state(TASK_UNINTERRUPTIBLE);
//!     if (event_indicated)
//!         break;
//!     schedule();
//! }
//! ```
//!
//! and "A general memory barrier is interpolated automatically by
//! set_current_state() after it has altered the task state":
//! `STORE current->state; <general barrier>; LOAD event_indicated`. The
//! waker is `event_indicated = 1; wake_up_process(event_daemon);`, and
//! `wake_up_process` (the kernel's `try_to_wake_up`) has its own full
//! barrier (`smp_mb__after_spinlock()`) before it looks at the task's state:
//! it only wakes a task that is not `TASK_RUNNING`.
//!
//! **The program.** The same with the sleeper's barrier left out, as if it
//! used `__set_current_state()` (the variant "without the barrier"):
//! `state.store(SLEEPING, Release)` then `event.load(Acquire)`. The waker:
//! `event.store(true, Release)`, `fence(SeqCst)` (try_to_wake_up's barrier),
//! `state.load(Acquire)`, and only if it reads `SLEEPING`, set the task
//! `RUNNING` and `release` the `wake` semaphore that `schedule()` (an
//! `acquire`) sleeps on. Threads `sleeper` and `waker`.
//!
//! **The bug.** Store buffering: with a full barrier on only one side,
//! the sleeper's load of `event` may miss the waker's store and the waker's
//! load of `state` may miss the sleeper's store, both at once. The sleeper
//! then schedules away and the waker sees a running task and wakes nobody:
//! the sleeper sleeps forever (a lost wake-up; the run ends in a deadlock,
//! `main` joining a thread that never wakes). `Release`/`Acquire` order
//! nothing between a store and a later load of another location; only the
//! barrier does. shuttle runs every atomic as `SeqCst` and cannot show it.
//!
//! **Teacher marks (loom).**
//! - **T1** `stale_read` (or `no_sync`, which a teacher would accept for the
//!   same sentence), on whichever of the two loads the timeline shows after
//!   the other thread's store (the sleeper's `load event -> false` after the
//!   waker's `store event <- true`, or the waker's `load state -> 0` after
//!   the sleeper's `store state <- 1`): "stale: step N wrote it; without a
//!   full barrier between the sleeper's `store state` and its `load event`
//!   (`set_current_state`'s `smp_mb`), Release/Acquire let both loads read
//!   the old values (store buffering)."
//! - **T2** `lost_wakeup` (a `deadlock` mark that says the sleeper waits for
//!   a wake-up nobody will send is equivalent), on the sleeper's blocked
//!   `acquire wake` (or the waker's decision, its `load state`): "the waker
//!   saw the task running and woke nobody; the sleeper then went to sleep on
//!   an event that had already happened."
//!
//! **shuttle:** no marks (it cannot see the bug, and says so in its notes or
//! by holding). No mark belongs on: the waker's `store event` (correct), its
//! fence, the `release` that never happens.
//!
//! **Controls.** (1) The kernel's way: `set_current_state`'s barrier, a
//! `fence(SeqCst)` after the sleeper's store. (2) Another primitive: the
//! state and the event under one `Mutex`, the sleep a `Condvar` wait (the
//! wait queue's lock does what the barriers did).

use crate::common;
use racelab::explore::{FailureKind, Scenario};
use racelab::sync::atomic::{
    fence, AtomicBool, AtomicU32,
    Ordering::{Acquire, Relaxed, Release, SeqCst},
};
use racelab::sync::{thread, Arc, Condvar, Mutex, Semaphore};

const RUNNING: u32 = 0;
const SLEEPING: u32 = 1;

struct Task {
    state: AtomicU32,
    event: AtomicBool,
    /// What `schedule()` sleeps on and `wake_up_process` releases.
    wake: Semaphore,
}

fn with_barriers(name: &str, sleeper_barrier: bool) -> Scenario<&'static str> {
    Scenario::new(name, move || {
        let task = Arc::new(Task {
            state: AtomicU32::new(RUNNING).named("state"),
            event: AtomicBool::new(false).named("event"),
            wake: Semaphore::new(0).named("wake"),
        });
        let t = Arc::clone(&task);
        let sleeper = thread::Builder::new()
            .name("sleeper")
            .spawn(move || {
                loop {
                    t.state.store(SLEEPING, Release); // __set_current_state(TASK_UNINTERRUPTIBLE)
                    if sleeper_barrier {
                        fence(SeqCst); // set_current_state's smp_mb()
                    }
                    if t.event.load(Acquire) {
                        break;
                    }
                    t.wake.acquire(); // schedule()
                }
                t.state.store(RUNNING, Relaxed); // __set_current_state(TASK_RUNNING)
                "woke"
            })
            .unwrap();
        let w = Arc::clone(&task);
        let waker = thread::Builder::new()
            .name("waker")
            .spawn(move || {
                w.event.store(true, Release); // event_indicated = 1
                                              // wake_up_process(): try_to_wake_up's smp_mb__after_spinlock(),
                                              // then wake the task only if it is not running.
                fence(SeqCst);
                if w.state.load(Acquire) == SLEEPING {
                    w.state.store(RUNNING, Relaxed);
                    w.wake.release();
                }
            })
            .unwrap();
        waker.join().unwrap();
        sleeper.join().unwrap()
    })
    .expect_only("woke")
}

fn racy() -> Scenario<&'static str> {
    with_barriers("blind6b::sleep_wakeup_racy", false)
}

fn fixed_barrier() -> Scenario<&'static str> {
    with_barriers("blind6b::sleep_wakeup_barrier", true)
}

/// The task state and the event under one lock, the sleep a condvar wait.
#[derive(Debug, Default)]
struct Queue {
    sleeping: bool,
    event: bool,
}

fn fixed_wait_queue() -> Scenario<&'static str> {
    Scenario::new("blind6b::sleep_wakeup_wait_queue", || {
        let q = Arc::new((
            Mutex::new(Queue::default()).named("wait_queue"),
            Condvar::new().named("wq"),
        ));
        let s = Arc::clone(&q);
        let sleeper = thread::Builder::new()
            .name("sleeper")
            .spawn(move || {
                let mut g = s.0.lock().unwrap();
                while !g.event {
                    g.sleeping = true;
                    g = s.1.wait(g).unwrap();
                }
                g.sleeping = false;
                "woke"
            })
            .unwrap();
        let w = Arc::clone(&q);
        let waker = thread::Builder::new()
            .name("waker")
            .spawn(move || {
                let mut g = w.0.lock().unwrap();
                g.event = true;
                if g.sleeping {
                    w.1.notify_one();
                }
            })
            .unwrap();
        waker.join().unwrap();
        sleeper.join().unwrap()
    })
    .expect_only("woke")
}

#[test]
fn sleep_wakeup_racy_loom() {
    common::explore(&racy(), &common::loom()).assert_racy(Some(FailureKind::Deadlock));
}

/// shuttle runs every atomic as `SeqCst`: store buffering cannot happen, so
/// the racy version holds there (a documented blind spot, not a wrong
/// verdict about what shuttle explored).
#[test]
fn sleep_wakeup_racy_shuttle_is_blind() {
    common::explore(&racy(), &common::shuttle()).assert_holds();
}

#[test]
fn sleep_wakeup_barrier_holds_loom() {
    common::explore(&fixed_barrier(), &common::loom()).assert_holds();
}

#[test]
fn sleep_wakeup_barrier_holds_shuttle() {
    common::explore(&fixed_barrier(), &common::shuttle()).assert_holds();
}

#[test]
fn sleep_wakeup_wait_queue_holds_loom() {
    common::explore(&fixed_wait_queue(), &common::loom()).assert_holds();
}

#[test]
fn sleep_wakeup_wait_queue_holds_shuttle() {
    common::explore(&fixed_wait_queue(), &common::shuttle()).assert_holds();
}
