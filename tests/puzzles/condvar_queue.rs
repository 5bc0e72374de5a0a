//! **A condition variable waited on with `if`, and with `while`** — The
//! Deadlock Empire, level `CV1-simple` ("Condition Variables",
//! `js/content/levels.js` in github.com/deadlockempire/deadlockempire.github.io):
//! two consumers `lock; if (queue.Count == 0) Monitor.Wait(mutex);
//! queue.Dequeue(); unlock`, one producer `lock; Enqueue(42);
//! Monitor.PulseAll(mutex); unlock` (two rounds here, one item per consumer).
//!
//! * `if_wait` (broken): both consumers wait, one `notify_all` wakes both;
//!   the first takes the item, the second does not check again and
//!   dequeues from an empty queue (here: gets nothing). Teacher's marks:
//!   the second consumer's re-lock after its wake-up acts on a stale check
//!   (the queue it was woken for was emptied by the other consumer).
//! * `while_wait` (correct): `while queue.is_empty() { wait }`.

use std::collections::VecDeque;

use racelab::explore::{FailureKind, Grade, Scenario};
use racelab::sync::{Arc, Condvar, Mutex};
use racelab::trace::{MarkKind, Op};

use crate::support::{mark, spawn, Puzzle, Verdict};

struct Queue {
    items: Mutex<VecDeque<u32>>,
    not_empty: Condvar,
}

fn consume(q: &Queue, recheck: bool) -> Option<u32> {
    let mut items = q.items.lock().unwrap();
    if recheck {
        while items.is_empty() {
            items = q.not_empty.wait(items).unwrap();
        }
    } else if items.is_empty() {
        items = q.not_empty.wait(items).unwrap();
    }
    items.pop_front()
}

fn scenario(name: &'static str, recheck: bool) -> Scenario<String> {
    Scenario::new(name, move || {
        let q = Arc::new(Queue {
            items: Mutex::new(VecDeque::new()).named("queue").traced(),
            not_empty: Condvar::new().named("not_empty"),
        });
        let c = Arc::clone(&q);
        let first = spawn("consumer1", move || consume(&c, recheck));
        let c = Arc::clone(&q);
        let second = spawn("consumer2", move || consume(&c, recheck));
        for item in [42, 43] {
            q.items.lock().unwrap().push_back(item);
            q.not_empty.notify_all();
        }
        let (a, b) = (first.join().unwrap(), second.join().unwrap());
        format!("consumer1 {a:?}, consumer2 {b:?}")
    })
    .expect("each consumer gets an item", |o: &String| {
        if o.contains("None") {
            Grade::Forbidden
        } else {
            Grade::Acceptable
        }
    })
}

pub mod if_wait {
    use super::*;

    pub fn puzzle() -> Puzzle {
        Puzzle {
            name: "condvar_queue::if_wait",
            source: "The Deadlock Empire, level CV1-simple (Condition Variables)",
            scenario: Box::new(scenario("puzzles::condvar_if_wait", false)),
            verdict: Verdict::Fails(FailureKind::ForbiddenOutcome),
            marks: vec![mark(MarkKind::StaleCheck, Op::Lock, "queue")],
        }
    }

    crate::puzzle_tests!();
}

pub mod while_wait {
    use super::*;

    pub fn puzzle() -> Puzzle {
        Puzzle {
            name: "condvar_queue::while_wait",
            source: "The Deadlock Empire, level CV1-simple, fixed with a while loop",
            scenario: Box::new(scenario("puzzles::condvar_while_wait", true)),
            verdict: Verdict::Holds,
            marks: vec![],
        }
    }

    crate::puzzle_tests!();
}
