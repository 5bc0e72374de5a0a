//! **A deadlock through a condition variable: nested monitor lockout** —
//! A. Lister, "The problem of nested monitor calls" (1977); OSTEP ch. 32
//! "Common Concurrency Problems" (hold-and-wait). The waiter takes `outer`,
//! then `inner`, and waits on `ready_cv` (which releases `inner` only).
//! The notifier needs `outer` before it can set the flag and notify: it
//! blocks on `outer` for ever, and the waiter is never notified.
//!
//! Teacher's marks: the waiter's `blocked on ready_cv` and the notifier's
//! `blocked on outer`: both deadlocked.

use racelab::explore::{FailureKind, Scenario};
use racelab::sync::{Arc, Condvar, Mutex};
use racelab::trace::{MarkKind, Op};

use crate::support::{mark_by, spawn, Puzzle, Verdict};

struct Monitor {
    outer: Mutex<()>,
    inner: Mutex<bool>,
    ready_cv: Condvar,
}

pub fn puzzle() -> Puzzle {
    let scenario = Scenario::new("puzzles::nested_monitor", || {
        let m = Arc::new(Monitor {
            outer: Mutex::new(()).named("outer"),
            inner: Mutex::new(false).named("inner").traced(),
            ready_cv: Condvar::new().named("ready_cv"),
        });
        let w = Arc::clone(&m);
        let waiter = spawn("waiter", move || {
            let _outer = w.outer.lock().unwrap();
            let mut ready = w.inner.lock().unwrap();
            while !*ready {
                ready = w.ready_cv.wait(ready).unwrap();
            }
        });
        let n = Arc::clone(&m);
        let notifier = spawn("notifier", move || {
            let _outer = n.outer.lock().unwrap();
            *n.inner.lock().unwrap() = true;
            n.ready_cv.notify_one();
        });
        waiter.join().unwrap();
        notifier.join().unwrap();
        "done"
    });
    Puzzle {
        name: "nested_monitor",
        source: "Lister 1977, nested monitor calls; OSTEP ch. 32",
        scenario: Box::new(scenario),
        verdict: Verdict::Fails(FailureKind::Deadlock),
        marks: vec![
            mark_by(MarkKind::Deadlock, Op::Blocked, "ready_cv", "waiter"),
            mark_by(MarkKind::Deadlock, Op::Blocked, "outer", "notifier"),
        ],
    }
}

crate::puzzle_tests!();
