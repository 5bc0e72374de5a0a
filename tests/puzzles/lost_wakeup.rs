//! **A lost wake-up** — OSTEP (Arpaci-Dusseau), ch. 30 "Condition
//! Variables", the "Parent Waiting: No State Variable" version of
//! `thr_join`/`thr_exit`: the child locks, signals, unlocks; the parent
//! locks, waits, unlocks, with no `done` flag to check. If the child runs
//! first, its signal wakes nobody and the parent sleeps for ever.
//!
//! The mutex is `m`, the condition variable `c`. (A `wait` event is the
//! release of the mutex, so its target is `m`; the final `blocked on`
//! line names the condition variable, `c`.)
//!
//! Teacher's marks: the parent's wait, whose wake-up (the child's notify)
//! came before it: a lost wake-up; and the parent's `blocked on c`: a
//! deadlock (it waits for something no thread that can run will do).

use racelab::explore::{FailureKind, Scenario};
use racelab::sync::{Arc, Condvar, Mutex};
use racelab::trace::{MarkKind, Op};

use crate::support::{mark_by, spawn, Puzzle, Verdict};

pub fn puzzle() -> Puzzle {
    let scenario = Scenario::new("puzzles::lost_wakeup", || {
        let pair = Arc::new((Mutex::new(()).named("m"), Condvar::new().named("c")));
        let p = Arc::clone(&pair);
        let child = spawn("child", move || {
            let _guard = p.0.lock().unwrap();
            p.1.notify_one();
        });
        let guard = pair.0.lock().unwrap();
        let guard = pair.1.wait(guard).unwrap();
        drop(guard);
        child.join().unwrap();
        "parent woke up"
    });
    Puzzle {
        name: "lost_wakeup",
        source: "OSTEP ch. 30 Condition Variables, Parent Waiting: No State Variable",
        scenario: Box::new(scenario),
        verdict: Verdict::Fails(FailureKind::Deadlock),
        marks: vec![
            mark_by(MarkKind::LostWakeup, Op::Wait, "m", "main"),
            mark_by(MarkKind::Deadlock, Op::Blocked, "c", "main"),
        ],
    }
}

crate::puzzle_tests!();
