//! Bryant & O'Hallaron, *Computer Systems: A Programmer's Perspective*
//! (3rd ed.), §12.7.5 "Deadlocks", Practice Problem 12.15, the textbook and
//! exercises of Rice COMP 321 (Introduction to Computer Systems) and CMU
//! 15-213 (problem text as a student quoted it in "Visually where is the
//! Deadlock? Why? How to avoid/fix?", mirrored at
//! <https://whosebug.com/question/365634>):
//!
//! ```text
//! The following program attempts to use a pair of semaphores for mutual
//! exclusion. Initially: s = 1, t = 0.
//!     Thread 1    Thread 2
//!     P(s);       P(s);
//!     V(s);       V(s);
//!     P(t);       P(t);
//!     V(t);       V(t);
//! A. Draw the progress graph for this program.
//! B. Does it always deadlock?
//! C. If so, what simple change to the initial semaphore values will
//!    eliminate the potential for deadlock?
//! ```
//!
//! Answer: yes, always: `t` starts at 0 and its only `V` comes after a
//! `P(t)`, so both threads block at `P(t)` whatever the schedule; starting
//! `t` at 1 fixes it.
//!
//! Transcription: `s` and `t` are `racelab::sync::Semaphore`s; threads
//! `thread1` and `thread2` run the four lines; main joins them.
//!
//! # Teacher marks (written before the first run)
//! Both backends: both threads end blocked at `acquire t`.
//! - `thread1`'s blocked `acquire t`, kind `deadlock`: "waits for t, which
//!   started with no permit; the only release of t in the program comes
//!   after an acquire of t, so no thread can ever release it".
//! - `thread2`'s blocked `acquire t`, the same.
//!
//! (Two teacher marks per backend; racelab's wait-for graph names "the
//! thread that took the last permit", and here no thread took any: a mark
//! that claims a holder, or a cycle through `s`, is factually wrong.)
//!
//! No mark on the `P(s); V(s)` pairs (they are fine), on spawns, nor on
//! main's `join` as a cause (it is blocked only because the threads are).
//!
//! Expected verdict: `deadlock` on both backends.

use racelab::explore::{FailureKind, Scenario};
use racelab::sync::{thread, Arc, Mutex, Semaphore};

use super::common;

struct Sems {
    s: Semaphore,
    t: Semaphore,
}

fn program(t0: usize) -> impl Fn() -> &'static str + Send + Sync + 'static {
    move || {
        let sems = Arc::new(Sems {
            s: Semaphore::new(1).named("s"),
            t: Semaphore::new(t0).named("t"),
        });
        let handles: Vec<_> = ["thread1", "thread2"]
            .into_iter()
            .map(|name| {
                let x = Arc::clone(&sems);
                thread::Builder::new()
                    .name(name)
                    .spawn(move || {
                        x.s.acquire(); // P(s)
                        x.s.release(); // V(s)
                        x.t.acquire(); // P(t)
                        x.t.release(); // V(t)
                    })
                    .unwrap()
            })
            .collect();
        for h in handles {
            h.join().unwrap();
        }
        "both done"
    }
}

fn racy() -> Scenario<&'static str> {
    Scenario::new("blind11a::csapp_12_15_t_zero", program(0)).expect_only("both done")
}

/// Control 1: the book's answer, `t = 1`.
fn fixed_t_one() -> Scenario<&'static str> {
    Scenario::new("blind11a::csapp_12_15_t_one", program(1)).expect_only("both done")
}

/// Control 2: what the program "attempts": mutual exclusion, with one
/// mutex guarding both critical sections.
fn fixed_mutex() -> Scenario<&'static str> {
    Scenario::new("blind11a::csapp_12_15_mutex", || {
        let m = Arc::new(Mutex::new(0u32).named("m"));
        let handles: Vec<_> = ["thread1", "thread2"]
            .into_iter()
            .map(|name| {
                let m = Arc::clone(&m);
                thread::Builder::new()
                    .name(name)
                    .spawn(move || {
                        *m.lock().unwrap() += 1;
                        *m.lock().unwrap() += 1;
                    })
                    .unwrap()
            })
            .collect();
        for h in handles {
            h.join().unwrap();
        }
        if *m.lock().unwrap() == 4 {
            "both done"
        } else {
            "lost"
        }
    })
    .expect_only("both done")
}

#[test]
fn racy_loom() {
    let r = common::explore(&racy(), &common::loom());
    r.assert_racy(Some(FailureKind::Deadlock));
}

#[test]
fn racy_shuttle() {
    let r = common::explore(&racy(), &common::shuttle());
    r.assert_racy(Some(FailureKind::Deadlock));
}

#[test]
fn fixes_hold() {
    for s in [fixed_t_one(), fixed_mutex()] {
        common::explore(&s, &common::loom()).assert_holds();
        common::explore(&s, &common::shuttle()).assert_holds();
    }
}
