//! # b05: a job queue whose worker sleeps through the only job
//!
//! A scheduler hands jobs to a worker through a `Mutex<Vec<u32>>` and a
//! `Condvar`. The worker looks at the queue under the lock, *lets the lock
//! go*, and only then, if the queue looked empty, locks again and `wait`s,
//! without looking again. The submitter (`main`) pushes a job and
//! `notify_one`s. If the push and the notify land between the worker's look
//! and its wait, the notify wakes nobody and the worker sleeps for ever
//! while the job sits in the queue: a lost wake-up; `main`'s join then
//! blocks too.
//!
//! ## Teacher marks (written before looking at racelab's marks)
//! Schedule: worker `lock jobs -> []`, `unlock`; main `lock jobs -> []`,
//! unlock leaving `[7]`, `notify_one ready`; worker `lock jobs -> [7]`,
//! `wait ready` (never woken); main `join worker` (blocked).
//! 1. The worker's `wait ready`: kind `lost_wakeup`, "the notify at step N
//!    came before this wait" (nobody is left to notify). Other end
//!    (lenient): main's `notify_one ready` marked as the wake-up that came
//!    too early / woke nobody.
//! 2. The worker's second `lock jobs -> [7]` (or the wait): the act on a
//!    stale check, kind `stale_check`, "acts on the check at step N (empty)
//!    although the queue now holds 7". Other end (lenient): the first look
//!    `lock jobs -> []` marked as the check that went stale.
//!
//! Not spurious: main's `join worker` marked `deadlock` with a true text
//! ("waits for worker, who waits on ready for ever"). Spurious: a wait-for
//! *cycle* claimed between main and worker (main holds nothing the worker
//! needs); `lost_update` on the queue; `data_race`.
//!
//! Control: one lock held from the look to the wait, with `wait_while`
//! re-checking the queue.

use racelab::explore::{FailureKind, Scenario};
use racelab::sync::{thread, Arc, Condvar, Mutex};

use crate::common;

struct Scheduler {
    jobs: Mutex<Vec<u32>>,
    ready: Condvar,
}

impl Scheduler {
    fn submit(&self, job: u32) {
        self.jobs.lock().unwrap().push(job);
        self.ready.notify_one();
    }

    /// Takes the next job, waiting for one if there is none.
    fn next(&self) -> Option<u32> {
        let empty = self.jobs.lock().unwrap().is_empty();
        // BUG: the lock is gone; a job and its notify can come right here.
        if empty {
            let jobs = self.jobs.lock().unwrap();
            let mut jobs = self.ready.wait(jobs).unwrap();
            jobs.pop()
        } else {
            self.jobs.lock().unwrap().pop()
        }
    }

    /// Control: look and wait under one lock, looking again on each wake-up.
    fn next_fixed(&self) -> Option<u32> {
        let jobs = self.jobs.lock().unwrap();
        let mut jobs = self.ready.wait_while(jobs, |j| j.is_empty()).unwrap();
        jobs.pop()
    }
}

fn scheduler(fixed: bool) -> Scenario<String> {
    let name = if fixed {
        "b05::queue_wait_while"
    } else {
        "b05::queue_racy"
    };
    Scenario::new(name, move || {
        let s = Arc::new(Scheduler {
            jobs: Mutex::new(Vec::new()).named("jobs"),
            ready: Condvar::new().named("ready"),
        });
        let w = Arc::clone(&s);
        let worker = thread::Builder::new()
            .name("worker")
            .spawn(move || if fixed { w.next_fixed() } else { w.next() })
            .unwrap();
        s.submit(7);
        format!("{:?}", worker.join().unwrap())
    })
    .expect_only("Some(7)".to_owned())
}

#[test]
fn loom_finds_the_lost_wakeup() {
    common::explore(&scheduler(false), &common::loom()).assert_racy(Some(FailureKind::Deadlock));
}

#[test]
fn shuttle_finds_the_lost_wakeup() {
    common::explore(&scheduler(false), &common::shuttle()).assert_racy(Some(FailureKind::Deadlock));
}

#[test]
fn control_wait_while_holds() {
    common::explore(&scheduler(true), &common::loom()).assert_holds();
    common::explore(&scheduler(true), &common::shuttle()).assert_holds();
}
