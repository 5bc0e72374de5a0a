//! A job queue: `Mutex<Vec<u32>>` plus a `Condvar`. The producer pushes a
//! job and calls `notify_one`; each consumer waits "if the queue is empty"
//! and then pops ("it worked with one consumer; with two, one sometimes gets
//! nothing").
//!
//! The bug: the consumer waits with `if`, not `while`. Consumer A waits; the
//! producer pushes job 1 and notifies A; before A gets the lock back,
//! consumer B arrives, finds the queue non-empty and takes job 1. A wakes and
//! pops without looking again: it gets `None` (a real program would
//! `unwrap()` and panic).
//!
//! Teacher marks (written before looking at racelab's marks):
//! 1. consumer A's pop after its wait (the re-acquired lock / the unlock of
//!    that critical section, which finds `[]`): **stale check**, a woken
//!    thread acting without checking again; the job it was woken for was
//!    taken by B (B's critical section on `jobs`) after the notify.
//!    Lenient: the mark on B's pop (the other end), saying B took the job
//!    A was woken for.
//!
//! Spurious: lost wake-up (every notify wakes or finds a non-empty queue:
//! nothing is stranded), deadlock, lost update, data race; a mark on the
//! producer's second push/notify.

use racelab::explore::{Explorer, Scenario};
use racelab::sync::{thread, Arc, Condvar, Mutex};

use crate::common::{expect_bug, expect_holds};

struct Jobs {
    queue: Mutex<Vec<u32>>,
    ready: Condvar,
}

impl Jobs {
    fn take(&self) -> Option<u32> {
        let mut q = self.queue.lock().unwrap();
        if q.is_empty() {
            q = self.ready.wait(q).unwrap();
        }
        q.pop()
    }

    /// The fix: wait while the queue is empty.
    fn take_fixed(&self) -> Option<u32> {
        let q = self.queue.lock().unwrap();
        let mut q = self.ready.wait_while(q, |q| q.is_empty()).unwrap();
        q.pop()
    }

    fn put(&self, job: u32) {
        self.queue.lock().unwrap().push(job);
        self.ready.notify_one();
    }
}

fn scenario(name: &str, fixed: bool) -> Scenario<String> {
    Scenario::new(name, move || {
        let jobs = Arc::new(Jobs {
            queue: Mutex::new(Vec::new()).named("jobs"),
            ready: Condvar::new().named("ready"),
        });
        let consumers: Vec<_> = ["A", "B"]
            .into_iter()
            .map(|name| {
                let j = Arc::clone(&jobs);
                thread::Builder::new()
                    .name(name)
                    .spawn(move || if fixed { j.take_fixed() } else { j.take() })
                    .unwrap()
            })
            .collect();
        jobs.put(1);
        jobs.put(2);
        let got: Vec<String> = consumers
            .into_iter()
            .map(|h| match h.join().unwrap() {
                Some(job) => format!("job {job}"),
                None => "nothing".to_string(),
            })
            .collect();
        format!("A got {}, B got {}", got[0], got[1])
    })
    .expect("each consumer gets a job", |o: &String| {
        if o.contains("nothing") {
            racelab::explore::Grade::Forbidden
        } else {
            racelab::explore::Grade::Acceptable
        }
    })
}

#[test]
fn loom_finds_empty_pop() {
    expect_bug(&scenario("b05::condvar_if", false), &Explorer::loom());
}

#[test]
fn shuttle_finds_empty_pop() {
    expect_bug(&scenario("b05::condvar_if", false), &Explorer::shuttle());
}

#[test]
fn loom_fix_holds() {
    expect_holds(&scenario("b05::condvar_while", true), &Explorer::loom());
}

#[test]
fn shuttle_fix_holds() {
    expect_holds(&scenario("b05::condvar_while", true), &Explorer::shuttle());
}
