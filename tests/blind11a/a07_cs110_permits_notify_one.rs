//! Stanford CS110 (Principles of Computer Systems), lecture "Condition
//! variables" (dining philosophers; e.g. Winter 2022 lecture 16,
//! <https://slides.com/troccoli/cs110-win2122-lecture-16>), the program
//! `dining-philosophers-with-cv-wait-one.cc` ("the first version that
//! actually does the right thing"; `lecture-examples/threads-cpp/` in the
//! public mirror github.com/ilemhadri/cs110):
//!
//! ```c++
//! static void waitForPermission(size_t& permits, condition_variable_any& cv, mutex& m) {
//!   lock_guard<mutex> lg(m);
//!   while (permits == 0) cv.wait(m);
//!   permits--;
//! }
//! static void grantPermission(size_t& permits, condition_variable_any& cv, mutex& m) {
//!   lock_guard<mutex> lg(m);
//!   permits++;
//!   if (permits == 1) cv.notify_all();
//! }
//! ```
//!
//! The puzzle is the classic exam question on this code: `grantPermission`
//! notifies only on the 0 -> 1 transition; would `notify_one` do? No: two
//! permits returned before the first woken philosopher runs make only one
//! notification (0 -> 1; the 1 -> 2 grant notifies nobody), so a second
//! waiting philosopher sleeps on although a permit is free.
//!
//! Transcription: `permits` (starting at 0, every permit out) in a
//! `Mutex<usize>`, `cv` a `Condvar`; the lecture's two functions, with
//! `notify_one` in place of `notify_all`. `aristotle` and `socrates` wait
//! for permission; `plato` and then `main` (two philosophers done eating)
//! each grant one. Outcome: both waiters got a permit.
//!
//! # Teacher marks (written before the first run)
//! Expected timeline: both waiters wait; `plato` grants (0 -> 1) and
//! `notify_one` wakes one waiter; `main` grants (1 -> 2) before that
//! waiter runs, with no notify; the woken waiter takes a permit; the other
//! waits forever (verdict `deadlock` on both backends).
//! - `plato`'s `notify_one cv`, kind `lost_wakeup` ("wakes one waiter"):
//!   "wakes only aristotle; socrates also waits, and the only later grant
//!   (step N, permits 1 -> 2) notifies no one: socrates is never woken".
//!   A mark on `main`'s silent grant (`unlock permits <- 2`) with the same
//!   pair named is lenient.
//! - the forgotten waiter's last `wait cv` (blocked), kind `deadlock`,
//!   with a true reason: "waits on cv with a permit free (permits = 1): no
//!   notify will come". A claim of a cycle through another thread holding
//!   a lock is wrong (no thread holds `permits` at the end).
//!
//! No mark on the waiters' `while` checks that found 0 (they rightly
//! wait), on the woken waiter's take, on spawns, nor on main's joins as a
//! cause.
//!
//! Expected verdict: `deadlock` on both backends.

use racelab::explore::{FailureKind, Scenario};
use racelab::sync::{thread, Arc, Condvar, Mutex, Semaphore};

use super::common;

struct Table {
    permits: Mutex<usize>,
    cv: Condvar,
    notify_all: bool,
}

impl Table {
    fn new(notify_all: bool) -> Self {
        Table {
            permits: Mutex::new(0).named("permits"),
            cv: Condvar::new().named("cv"),
            notify_all,
        }
    }

    fn wait_for_permission(&self) {
        let mut permits = self.permits.lock().unwrap();
        while *permits == 0 {
            permits = self.cv.wait(permits).unwrap();
        }
        *permits -= 1;
    }

    fn grant_permission(&self) {
        let mut permits = self.permits.lock().unwrap();
        *permits += 1;
        if *permits == 1 {
            if self.notify_all {
                self.cv.notify_all();
            } else {
                self.cv.notify_one();
            }
        }
    }
}

fn dinner(notify_all: bool) -> impl Fn() -> &'static str + Send + Sync + 'static {
    move || {
        let table = Arc::new(Table::new(notify_all));
        let waiters: Vec<_> = ["aristotle", "socrates"]
            .into_iter()
            .map(|name| {
                let t = Arc::clone(&table);
                thread::Builder::new()
                    .name(name)
                    .spawn(move || t.wait_for_permission())
                    .unwrap()
            })
            .collect();
        let t = Arc::clone(&table);
        let plato = thread::Builder::new()
            .name("plato")
            .spawn(move || t.grant_permission())
            .unwrap();
        table.grant_permission();
        plato.join().unwrap();
        for w in waiters {
            w.join().unwrap();
        }
        "both ate"
    }
}

fn racy() -> Scenario<&'static str> {
    Scenario::new("blind11a::cs110_permits_notify_one", dinner(false)).expect_only("both ate")
}

/// Control 1: the lecture's code, `notify_all`.
fn fixed_notify_all() -> Scenario<&'static str> {
    Scenario::new("blind11a::cs110_permits_notify_all", dinner(true)).expect_only("both ate")
}

/// Control 2: the lecture's next step, a semaphore in place of the
/// permits, mutex and condition variable.
fn fixed_semaphore() -> Scenario<&'static str> {
    Scenario::new("blind11a::cs110_permits_semaphore", || {
        let permits = Arc::new(Semaphore::new(0).named("permits"));
        let waiters: Vec<_> = ["aristotle", "socrates"]
            .into_iter()
            .map(|name| {
                let p = Arc::clone(&permits);
                thread::Builder::new().name(name).spawn(move || p.acquire()).unwrap()
            })
            .collect();
        let p = Arc::clone(&permits);
        let plato = thread::Builder::new().name("plato").spawn(move || p.release()).unwrap();
        permits.release();
        plato.join().unwrap();
        for w in waiters {
            w.join().unwrap();
        }
        "both ate"
    })
    .expect_only("both ate")
}

#[test]
fn racy_loom() {
    let r = common::explore(&racy(), &common::loom());
    r.assert_racy(Some(FailureKind::Deadlock));
}

#[test]
fn racy_shuttle() {
    let r = common::explore(&racy(), &common::shuttle());
    r.assert_racy(Some(FailureKind::Deadlock));
}

#[test]
fn fixes_hold() {
    for s in [fixed_notify_all(), fixed_semaphore()] {
        common::explore(&s, &common::loom()).assert_holds();
        common::explore(&s, &common::shuttle()).assert_holds();
    }
}
