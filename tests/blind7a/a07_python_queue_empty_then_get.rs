//! **Python `queue.Queue`: `if not q.empty(): q.get()` with two
//! consumers.**
//!
//! Source: the Python documentation, `queue` module, `Queue.empty()`:
//! "Return True if the queue is empty, False otherwise. If empty() returns
//! False it doesn't guarantee that a subsequent call to get() will not
//! block." (<https://docs.python.org/3/library/queue.html#queue.Queue.empty>);
//! CPython's `Lib/queue.py` docstring: "be aware that either approach risks
//! a race condition" (r70209, R. Hettinger, 2009,
//! <https://www.python.org/pipermail/python-checkins/2009-March/079729.html>);
//! and Guido van Rossum on python-dev, March 2009: "if there is a single
//! reader, empty()==False would guarantee that one subsequent get() won't
//! block ... the lack of guarantee has to do with the necessary
//! consequences of the non-atomicity of making two calls"
//! (<https://www.python.org/pipermail/python-dev/2009-March/086907.html>).
//!
//! The program: a `Queue` as CPython builds it: a `mutex` and a
//! `not_empty = Condition(mutex)`; `empty()` takes the mutex and looks;
//! `get()` takes it, `while not self._qsize(): self.not_empty.wait()`, pops;
//! `put()` appends and `not_empty.notify()`. Main puts one job, then two
//! workers each run `if not q.empty(): job = q.get()`.
//!
//! The bug: check-then-act across two calls. Both workers see the queue
//! non-empty; one takes the job; the other's `get()` blocks forever on an
//! empty queue (nobody will put again), and main's join hangs.
//!
//! Expected bad execution: (setup: main puts 1) w1 `lock queue -> [1]`
//! (empty() says False); w2 `lock queue -> [1]` (False); w1 `lock queue ->
//! [1]` in get, `unlock []`; w2 `lock queue -> []` in get, `wait not_empty`
//! (forever); main `join w1`, `join w2` (forever).
//!
//! **Teacher marks** (1 per backend):
//! 1. w2's `get()` on the empty queue (its `lock queue -> []` or its
//!    `wait not_empty`): kind `stale_check` (or `atomicity_violation`):
//!    "acts on the check at step N (`empty()` found [1]); w1 took the job at
//!    step M in between". Lenient: a `deadlock` mark on that wait which
//!    names w2's check and w1's get; or the mark on w1's get naming w2's
//!    check.
//!
//! No mark belongs on: w1's check and get (its check was right when it
//! acted), main's put (setup), main's joins (a true "waits for w2" line is
//! fine).
//!
//! Controls: (1) `get_nowait()` (`get(block=False)`, raising `Empty`):
//! the look and the pop in one locked step; (2) another primitive: a
//! semaphore counts the jobs (`put` releases one permit after appending), and
//! a worker takes a job only when `try_acquire` gives it a permit, which
//! reserves one job for it.

use std::collections::VecDeque;

use racelab::explore::{FailureKind, Scenario};
use racelab::sync::{thread, Arc, Condvar, Mutex, Semaphore};

use crate::common;

/// CPython's `queue.Queue` (unbounded: no `not_full`).
struct Queue {
    mutex: Mutex<VecDeque<u32>>,
    not_empty: Condvar,
}

impl Queue {
    fn new() -> Self {
        Queue {
            mutex: Mutex::new(VecDeque::new()).named("queue"),
            not_empty: Condvar::new().named("not_empty"),
        }
    }
    fn put(&self, item: u32) {
        let mut q = self.mutex.lock().unwrap();
        q.push_back(item);
        self.not_empty.notify_one();
    }
    fn empty(&self) -> bool {
        self.mutex.lock().unwrap().is_empty()
    }
    fn get(&self) -> u32 {
        let mut q = self.mutex.lock().unwrap();
        while q.is_empty() {
            q = self.not_empty.wait(q).unwrap();
        }
        q.pop_front().unwrap()
    }
    /// `get(block=False)`: `None` is `queue.Empty`.
    fn get_nowait(&self) -> Option<u32> {
        self.mutex.lock().unwrap().pop_front()
    }
}

fn outcome(r1: Option<u32>, r2: Option<u32>) -> String {
    let show = |r: Option<u32>| r.map_or("nothing".to_owned(), |j| format!("job {j}"));
    format!("w1: {}, w2: {}", show(r1), show(r2))
}

fn two_workers(name: &'static str, nowait: bool) -> Scenario<String> {
    Scenario::new(name, move || {
        let q = Arc::new(Queue::new());
        q.put(1);
        let workers: Vec<_> = ["w1", "w2"]
            .into_iter()
            .map(|wname| {
                let q = Arc::clone(&q);
                thread::Builder::new()
                    .name(wname)
                    .spawn(move || {
                        if nowait {
                            q.get_nowait()
                        } else if !q.empty() {
                            Some(q.get())
                        } else {
                            None
                        }
                    })
                    .unwrap()
            })
            .collect();
        let mut rs = workers.into_iter().map(|w| w.join().unwrap());
        let (r1, r2) = (rs.next().unwrap(), rs.next().unwrap());
        outcome(r1, r2)
    })
    .expect("exactly one worker gets job 1", |o: &String| {
        if o == "w1: job 1, w2: nothing" || o == "w1: nothing, w2: job 1" {
            racelab::explore::Grade::Acceptable
        } else {
            racelab::explore::Grade::Forbidden
        }
    })
}

fn racy() -> Scenario<String> {
    two_workers("blind7a::python_queue_empty_then_get", false)
}

/// Control 2: a semaphore reserves a job for the worker that takes it.
fn semaphore() -> Scenario<String> {
    Scenario::new("blind7a::python_queue_semaphore", || {
        let q = Arc::new(Queue::new());
        let jobs = Arc::new(Semaphore::new(0).named("jobs"));
        q.put(1);
        jobs.release();
        let workers: Vec<_> = ["w1", "w2"]
            .into_iter()
            .map(|wname| {
                let (q, jobs) = (Arc::clone(&q), Arc::clone(&jobs));
                thread::Builder::new()
                    .name(wname)
                    .spawn(move || if jobs.try_acquire() { Some(q.get()) } else { None })
                    .unwrap()
            })
            .collect();
        let mut rs = workers.into_iter().map(|w| w.join().unwrap());
        let (r1, r2) = (rs.next().unwrap(), rs.next().unwrap());
        outcome(r1, r2)
    })
    .expect("exactly one worker gets job 1", |o: &String| {
        if o == "w1: job 1, w2: nothing" || o == "w1: nothing, w2: job 1" {
            racelab::explore::Grade::Acceptable
        } else {
            racelab::explore::Grade::Forbidden
        }
    })
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
fn get_nowait_holds() {
    let s = two_workers("blind7a::python_queue_get_nowait", true);
    common::explore(&s, &common::loom()).assert_holds();
    common::explore(&s, &common::shuttle()).assert_holds();
}

#[test]
fn semaphore_holds() {
    common::explore(&semaphore(), &common::loom()).assert_holds();
    common::explore(&semaphore(), &common::shuttle()).assert_holds();
}
