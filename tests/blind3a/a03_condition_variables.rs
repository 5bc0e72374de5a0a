//! **The Deadlock Empire, level CV1 "Condition Variables"**.
//!
//! Two consumers loop `Enter(mutex); if (queue.Count == 0) Wait(mutex);
//! queue.Dequeue(); Exit(mutex)`; a producer loops `Enter(mutex);
//! queue.Enqueue(42); PulseAll(mutex); Exit(mutex)`. The check is an `if`,
//! not a `while`: both consumers wait, one `PulseAll` wakes both, the first
//! to re-take the lock takes the only item, and the second, waking up
//! without checking again, dequeues from an empty queue (in C#, an
//! exception). Here: `Mutex<VecDeque<u32>>` + `Condvar`, each consumer one
//! iteration, the producer two (so the fixed version, with `while`, always
//! gives each consumer an item); a `pop_front` that returns `None` is the
//! exception.
//!
//! **Teacher marks (written before looking at racelab's marks)**
//! 1. The consumer that pops `None`: its dequeue right after it woke from
//!    `wait nonempty` (its `lock queue (woken)` finding `[]` and the pop /
//!    `unlock queue` that follows) - kind: *stale check*: it acts on its
//!    pre-wait `if empty` check (and on the wake-up as a promise of an item)
//!    without checking again; `if` must be `while`.
//! 2. The other consumer's pop that took the item between the `notify`
//!    (all) and the woken consumer's re-lock (its `unlock queue` leaving
//!    `[]`) - kind: the act that invalidated the woken consumer's assumption
//!    (other end of the stale check).
//!
//! A "lost wake-up" or "deadlock" mark would be wrong (the wake-up was
//! delivered; nobody is stuck); a "lost update" on the queue would be wrong
//! too (every change to the queue is under the lock and none is lost).

use std::collections::VecDeque;

use racelab::explore::{Grade, Scenario};
use racelab::sync::{thread, Arc, Condvar, Mutex};

use crate::common;

type Shared = Arc<(Mutex<VecDeque<u32>>, Condvar)>;

fn consume(q: &Shared, fixed: bool) -> Option<u32> {
    let (queue, nonempty) = &**q;
    let mut g = queue.lock().unwrap();
    if fixed {
        while g.is_empty() {
            g = nonempty.wait(g).unwrap();
        }
    } else if g.is_empty() {
        g = nonempty.wait(g).unwrap();
    }
    g.pop_front()
}

/// `fixed`: `while` instead of `if` (the control).
fn scenario(fixed: bool) -> Scenario<String> {
    let name = if fixed {
        "blind3a::condition_variables_while"
    } else {
        "blind3a::condition_variables"
    };
    Scenario::new(name, move || {
        let q: Shared = Arc::new((
            Mutex::new(VecDeque::new()).named("queue"),
            Condvar::new().named("nonempty"),
        ));
        let mut consumers = Vec::new();
        for name in ["c0", "c1"] {
            let q = Arc::clone(&q);
            consumers.push(
                thread::Builder::new()
                    .name(name)
                    .spawn(move || consume(&q, fixed))
                    .unwrap(),
            );
        }
        let p = Arc::clone(&q);
        let producer = thread::Builder::new()
            .name("producer")
            .spawn(move || {
                let (queue, nonempty) = &*p;
                for _ in 0..2 {
                    let mut g = queue.lock().unwrap();
                    g.push_back(42);
                    nonempty.notify_all();
                }
            })
            .unwrap();
        let got: Vec<Option<u32>> = consumers.into_iter().map(|h| h.join().unwrap()).collect();
        producer.join().unwrap();
        format!("c0 got {:?}, c1 got {:?}", got[0], got[1])
    })
    .expect("each consumer dequeues an item", |o: &String| {
        if o.contains("None") {
            Grade::Forbidden
        } else {
            Grade::Acceptable
        }
    })
}

#[test]
fn loom() {
    common::explore(&scenario(false), &common::loom()).assert_racy(None);
}

#[test]
fn shuttle() {
    common::explore(&scenario(false), &common::shuttle()).assert_racy(None);
}

#[test]
fn control_loom() {
    common::explore(&scenario(true), &common::loom()).assert_holds();
}

#[test]
fn control_shuttle() {
    common::explore(&scenario(true), &common::shuttle()).assert_holds();
}
