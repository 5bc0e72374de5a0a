//! A hand-rolled thread pool (one worker) with a `shutdown()` that lets the
//! worker drain the queue and exit, and a `submit()` that refuses jobs once
//! the pool is shutting down ("Why does my pool sometimes drop a job?").
//!
//! The bug: `submit` checks the `shutdown` flag, then locks the queue and
//! pushes. Between the two, `shutdown()` sets the flag and the worker, finding
//! the queue empty and the flag set, exits. The job is pushed afterwards,
//! `submit` returned `true`, and nobody ever runs it. Check-then-act: the
//! check (flag load) and the act (push) are not under one lock.
//!
//! Teacher marks (written before looking at racelab's marks):
//! 1. client: the critical section on `queue` that pushes job 7 (its `lock`
//!    or `unlock queue` line): **stale check**, it acts on its `load shutdown
//!    -> false`, which main changed (`store shutdown <- true`) and the worker
//!    acted on (its `load shutdown -> true`, then exit) in between.
//!    Lenient: the mark on the other end of the pair, main's `store shutdown
//!    <- true` or the worker's `load shutdown -> true` / exit, saying it
//!    changed or acted on the client's check.
//!
//! Spurious: lost update, lost wake-up (every wait is re-checked under the
//! lock and the flag is set under it), deadlock, data race, anything on the
//! `notify` lines or on main's joins.

use std::collections::VecDeque;

use racelab::explore::{Explorer, Grade, Scenario};
use racelab::sync::atomic::{AtomicBool, AtomicU32, Ordering::SeqCst};
use racelab::sync::{thread, Arc, Condvar, Mutex};

use crate::common::{expect_bug, expect_holds};

struct Pool {
    queue: Mutex<VecDeque<u32>>,
    work: Condvar,
    shutdown: AtomicBool,
    ran: AtomicU32,
}

impl Pool {
    fn new() -> Self {
        Pool {
            queue: Mutex::new(VecDeque::new()).named("queue"),
            work: Condvar::new().named("work"),
            shutdown: AtomicBool::new(false).named("shutdown"),
            ran: AtomicU32::new(0).named("ran"),
        }
    }

    /// Queues a job; `false` if the pool is shutting down.
    fn submit(&self, job: u32) -> bool {
        if self.shutdown.load(SeqCst) {
            return false;
        }
        self.queue.lock().unwrap().push_back(job);
        self.work.notify_one();
        true
    }

    /// The fix: check the flag under the same lock as the push.
    fn submit_fixed(&self, job: u32) -> bool {
        let mut q = self.queue.lock().unwrap();
        if self.shutdown.load(SeqCst) {
            return false;
        }
        q.push_back(job);
        drop(q);
        self.work.notify_one();
        true
    }

    fn worker_loop(&self) {
        let mut q = self.queue.lock().unwrap();
        loop {
            if let Some(job) = q.pop_front() {
                drop(q);
                self.ran.fetch_add(job, SeqCst);
                q = self.queue.lock().unwrap();
                continue;
            }
            if self.shutdown.load(SeqCst) {
                return;
            }
            q = self.work.wait(q).unwrap();
        }
    }

    fn shutdown(&self) {
        let q = self.queue.lock().unwrap();
        self.shutdown.store(true, SeqCst);
        drop(q);
        self.work.notify_all();
    }
}

fn scenario(name: &str, fixed: bool) -> Scenario<String> {
    Scenario::new(name, move || {
        let pool = Arc::new(Pool::new());
        let p = Arc::clone(&pool);
        let worker = thread::Builder::new()
            .name("worker")
            .spawn(move || p.worker_loop())
            .unwrap();
        let p = Arc::clone(&pool);
        let client = thread::Builder::new()
            .name("client")
            .spawn(move || if fixed { p.submit_fixed(7) } else { p.submit(7) })
            .unwrap();
        pool.shutdown();
        worker.join().unwrap();
        let accepted = client.join().unwrap();
        let ran = pool.ran.load(SeqCst);
        format!("accepted={accepted} ran={ran}")
    })
    .expect(
        "a job submit() accepted is run before the worker exits",
        |o: &String| {
            if o == "accepted=true ran=0" {
                Grade::Forbidden
            } else {
                Grade::Acceptable
            }
        },
    )
}

#[test]
fn loom_finds_dropped_job() {
    expect_bug(&scenario("b01::pool_shutdown", false), &Explorer::loom());
}

#[test]
fn shuttle_finds_dropped_job() {
    expect_bug(&scenario("b01::pool_shutdown", false), &Explorer::shuttle());
}

#[test]
fn loom_fix_holds() {
    expect_holds(&scenario("b01::pool_shutdown_fixed", true), &Explorer::loom());
}

#[test]
fn shuttle_fix_holds() {
    expect_holds(&scenario("b01::pool_shutdown_fixed", true), &Explorer::shuttle());
}
