//! **The Deadlock Empire, level "Producer-Consumer" (S2-producerConsumer).**
//!
//! Source: The Deadlock Empire (Hudeček & Pekárek, 2016),
//! <https://deadlockempire.github.io/>, Semaphores chapter, level
//! "Producer-Consumer" ("A new victory condition awaits you! ... your goal is
//! cause an exception to be raised"); level text in
//! `deadlockempire/deadlockempire.github.io`, `js/content/levels.js`.
//!
//! The program: a `SemaphoreSlim ss` (0 permits) counts the items of a
//! `Queue<int>`. The producer runs `ss.Release(); queue.Enqueue(42);`, the
//! consumer `if (ss.Wait(0)) { queue.Dequeue(); } else { /* nothing in the
//! queue */ }` (a `TryWait`). Each loop runs once here.
//!
//! The bug: the producer announces the item (releases the permit) *before*
//! it enqueues it. The consumer can take the permit in between and call
//! `Dequeue` on an empty queue, which throws `InvalidOperationException`
//! (here: the outcome `InvalidOperationException`).
//!
//! Expected bad execution: producer `release ss`; consumer `try_acquire ss`
//! (gets the permit); consumer `lock queue -> []` and finds nothing;
//! producer `lock queue -> []`, `unlock [42]` afterwards.
//!
//! **Teacher marks** (1 per backend):
//! 1. the consumer's `lock queue -> []` (its `Dequeue`): kind `stale_check`
//!    ("a read of what a flag announced before it was written") or
//!    `order_violation`: "dequeues on the permit the producer released at
//!    step N, before the producer enqueued 42 (step M): the release came
//!    too early". Lenient: the same pair named from the producer's
//!    `release ss` (announced before the enqueue) or its late enqueue.
//!
//! No mark belongs on: the consumer's `try_acquire` (it took a permit that
//! really was released), the spawns and joins, the producer's enqueue as a
//! write of its own (it is correct, only late).
//!
//! Controls: (1) the fix the level teaches, enqueue first, then release;
//! (2) another primitive: a channel carries the item itself, so "there is
//! something" and "here it is" are one step (`try_recv`).

use std::collections::VecDeque;

use racelab::explore::{FailureKind, Grade, Scenario};
use racelab::sync::{mpsc, thread, Arc, Mutex, Semaphore};

use crate::common;

const EXCEPTION: &str = "InvalidOperationException: Queue empty";

fn grade(o: &String) -> Grade {
    if o == EXCEPTION {
        Grade::Forbidden
    } else {
        Grade::Acceptable
    }
}

/// The level as written: release, then enqueue.
fn racy() -> Scenario<String> {
    Scenario::new("blind7a::de_producer_consumer", || {
        let ss = Arc::new(Semaphore::new(0).named("ss"));
        let queue = Arc::new(Mutex::new(VecDeque::<i32>::new()).named("queue"));
        let (pss, pq) = (Arc::clone(&ss), Arc::clone(&queue));
        let producer = thread::Builder::new()
            .name("producer")
            .spawn(move || {
                pss.release();
                pq.lock().unwrap().push_back(42);
            })
            .unwrap();
        let consumer = thread::Builder::new()
            .name("consumer")
            .spawn(move || {
                if ss.try_acquire() {
                    let item = queue.lock().unwrap().pop_front();
                    match item {
                        Some(v) => format!("dequeued {v}"),
                        None => EXCEPTION.to_owned(),
                    }
                } else {
                    "nothing in the queue".to_owned()
                }
            })
            .unwrap();
        producer.join().unwrap();
        consumer.join().unwrap()
    })
    .expect("dequeued 42, or nothing in the queue", grade)
}

/// Control 1: enqueue, then release.
fn enqueue_first() -> Scenario<String> {
    Scenario::new("blind7a::de_producer_consumer_enqueue_first", || {
        let ss = Arc::new(Semaphore::new(0).named("ss"));
        let queue = Arc::new(Mutex::new(VecDeque::<i32>::new()).named("queue"));
        let (pss, pq) = (Arc::clone(&ss), Arc::clone(&queue));
        let producer = thread::Builder::new()
            .name("producer")
            .spawn(move || {
                pq.lock().unwrap().push_back(42);
                pss.release();
            })
            .unwrap();
        let consumer = thread::Builder::new()
            .name("consumer")
            .spawn(move || {
                if ss.try_acquire() {
                    let item = queue.lock().unwrap().pop_front();
                    match item {
                        Some(v) => format!("dequeued {v}"),
                        None => EXCEPTION.to_owned(),
                    }
                } else {
                    "nothing in the queue".to_owned()
                }
            })
            .unwrap();
        producer.join().unwrap();
        consumer.join().unwrap()
    })
    .expect("dequeued 42, or nothing in the queue", grade)
}

/// Control 2: the item travels in a channel.
fn channel() -> Scenario<String> {
    Scenario::new("blind7a::de_producer_consumer_channel", || {
        let (tx, rx) = mpsc::channel_named::<i32>("queue");
        let producer = thread::Builder::new()
            .name("producer")
            .spawn(move || {
                // The consumer may have looked and left already: the item then
                // stays unreceived, as it stays in the level's queue.
                let _ = tx.send(42);
            })
            .unwrap();
        let consumer = thread::Builder::new()
            .name("consumer")
            .spawn(move || match rx.try_recv() {
                Ok(v) => format!("dequeued {v}"),
                Err(_) => "nothing in the queue".to_owned(),
            })
            .unwrap();
        producer.join().unwrap();
        consumer.join().unwrap()
    })
    .expect("dequeued 42, or nothing in the queue", grade)
}

#[test]
fn racy_loom() {
    common::explore(&racy(), &common::loom()).assert_racy(Some(FailureKind::ForbiddenOutcome));
}

#[test]
fn racy_shuttle() {
    common::explore(&racy(), &common::shuttle()).assert_racy(Some(FailureKind::ForbiddenOutcome));
}

#[test]
fn enqueue_first_holds() {
    common::explore(&enqueue_first(), &common::loom()).assert_holds();
    common::explore(&enqueue_first(), &common::shuttle()).assert_holds();
}

#[test]
fn channel_holds() {
    common::explore(&channel(), &common::loom()).assert_holds();
    common::explore(&channel(), &common::shuttle()).assert_holds();
}
