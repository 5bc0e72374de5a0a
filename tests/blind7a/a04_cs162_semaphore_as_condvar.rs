//! **UC Berkeley CS 162, Fall 2008 Midterm I, Problem 1a: a condition
//! variable built from a semaphore.**
//!
//! Source: J. Kubiatowicz, CS162 Midterm I, October 15th 2008, Problem 1a:
//! "Give at least two reasons why the following implementation of a
//! condition variable is incorrect (assume that MySemi is a semaphore
//! initialized to 0): `Wait() { MySemi.P(); }  Signal() { MySemi.V(); }`"
//! (exam text at
//! <http://technodocbox.com/C_and_CPP/85094800-Midterm-i-october-15-th-2008-cs162-operating-systems-and-systems-programming.html>).
//! It is used in the course's own monitor, the synchronized queue of the
//! CS 162 lectures: `RemoveFromQueue() { lock.Acquire(); while
//! (queue.isEmpty()) dataready.Wait(&lock); item = queue.dequeue();
//! lock.Release(); }` and `AddToQueue(item) { lock.Acquire();
//! queue.enqueue(item); dataready.Signal(); lock.Release(); }`.
//!
//! The bug (the exam's first reason): `Wait` does not release the monitor
//! lock. A consumer that finds the queue empty sleeps in `P()` holding the
//! lock; the producer, which alone could `V()`, blocks on the lock: a
//! deadlock. (The second reason, that `V()` with nobody waiting is
//! remembered, makes a later `Wait` return at once; not shown here.)
//!
//! Expected bad execution: consumer `lock queue -> []`, consumer
//! `acquire dataready` (blocks, still holding `queue`); producer
//! `lock queue` (blocks); main `join consumer` (blocks).
//!
//! **Teacher marks** (2 per backend):
//! 1. the consumer's `acquire dataready`: kind `deadlock`: "waits for a
//!    `V()` only the producer would give, while holding `queue`, which the
//!    producer waits for (a cycle)". It must say the consumer still holds
//!    the lock.
//! 2. the producer's `lock queue`: kind `deadlock`: "waits for `queue`,
//!    held by the consumer since step N (a cycle)".
//!
//! No mark belongs on: main's join (it waits, but it is no part of the
//! cycle; a true "waits for consumer" line is fine, not a mark of blame),
//! the spawns, the consumer's `lock queue -> []` (finding the queue empty is
//! right).
//!
//! Controls: (1) the textbook repair of `Wait`: release the lock around
//! `P()` (with a counting semaphore, a `V()` before the `P()` is not lost);
//! (2) a real `Condvar`.

use std::collections::VecDeque;

use racelab::explore::{FailureKind, Scenario};
use racelab::sync::{thread, Arc, Condvar, Mutex, MutexGuard, Semaphore};

use crate::common;

/// The exam's condition variable: `Wait() { MySemi.P(); }`,
/// `Signal() { MySemi.V(); }`.
struct SemCondvar {
    my_semi: Semaphore,
}

impl SemCondvar {
    fn new() -> Self {
        SemCondvar {
            my_semi: Semaphore::new(0).named("dataready"),
        }
    }
    fn wait(&self) {
        self.my_semi.acquire();
    }
    fn signal(&self) {
        self.my_semi.release();
    }
}

struct Monitor {
    queue: Mutex<VecDeque<u32>>,
    dataready: SemCondvar,
}

/// `wait_releases`: control 1's repaired `Wait(&lock)`.
fn remove_from_queue(m: &Monitor, wait_releases: bool) -> u32 {
    let mut q = m.queue.lock().unwrap();
    while q.is_empty() {
        if wait_releases {
            drop(q);
            m.dataready.wait();
            q = m.queue.lock().unwrap();
        } else {
            m.dataready.wait(); // still holding `queue`
        }
    }
    q.pop_front().unwrap()
}

fn add_to_queue(m: &Monitor, item: u32) {
    let mut q: MutexGuard<'_, VecDeque<u32>> = m.queue.lock().unwrap();
    q.push_back(item);
    m.dataready.signal();
    drop(q);
}

fn monitor(name: &'static str, wait_releases: bool) -> Scenario<String> {
    Scenario::new(name, move || {
        let m = Arc::new(Monitor {
            queue: Mutex::new(VecDeque::new()).named("queue"),
            dataready: SemCondvar::new(),
        });
        let mc = Arc::clone(&m);
        let consumer = thread::Builder::new()
            .name("consumer")
            .spawn(move || remove_from_queue(&mc, wait_releases))
            .unwrap();
        let mp = Arc::clone(&m);
        let producer = thread::Builder::new()
            .name("producer")
            .spawn(move || add_to_queue(&mp, 7))
            .unwrap();
        let got = consumer.join().unwrap();
        producer.join().unwrap();
        format!("consumer got {got}")
    })
    .expect_only("consumer got 7".to_owned())
}

fn racy() -> Scenario<String> {
    monitor("blind7a::cs162_semaphore_condvar", false)
}

/// Control 2: a real condition variable.
fn real_condvar() -> Scenario<String> {
    Scenario::new("blind7a::cs162_real_condvar", || {
        let queue = Arc::new(Mutex::new(VecDeque::<u32>::new()).named("queue"));
        let dataready = Arc::new(Condvar::new().named("dataready"));
        let (q, cv) = (Arc::clone(&queue), Arc::clone(&dataready));
        let consumer = thread::Builder::new()
            .name("consumer")
            .spawn(move || {
                let mut g = q.lock().unwrap();
                while g.is_empty() {
                    g = cv.wait(g).unwrap();
                }
                g.pop_front().unwrap()
            })
            .unwrap();
        let (q, cv) = (Arc::clone(&queue), Arc::clone(&dataready));
        let producer = thread::Builder::new()
            .name("producer")
            .spawn(move || {
                let mut g = q.lock().unwrap();
                g.push_back(7);
                cv.notify_one();
            })
            .unwrap();
        let got = consumer.join().unwrap();
        producer.join().unwrap();
        format!("consumer got {got}")
    })
    .expect_only("consumer got 7".to_owned())
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
fn wait_releasing_the_lock_holds() {
    let s = monitor("blind7a::cs162_semaphore_condvar_released", true);
    common::explore(&s, &common::loom()).assert_holds();
    common::explore(&s, &common::shuttle()).assert_holds();
}

#[test]
fn real_condvar_holds() {
    common::explore(&real_condvar(), &common::loom()).assert_holds();
    common::explore(&real_condvar(), &common::shuttle()).assert_holds();
}
