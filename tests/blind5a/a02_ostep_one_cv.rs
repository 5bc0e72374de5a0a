//! # OSTEP ch. 30, producer/consumer with one condition variable
//!
//! Source: OSTEP ch. 30 ("Condition Variables"), Figure 30.10/30.11 and the
//! homework program `main-one-cv-while.c`: a one-slot buffer, `while` loops
//! around every wait (so Mesa semantics are respected), but ONE condvar for
//! both "buffer is empty" and "buffer is full", and `signal` (`notify_one`).
//!
//! The bug (the book's trace, Figure 30.11): with one producer and two
//! consumers, both consumers sleep on the empty buffer; the producer fills
//! it, signals (waking consumer 1) and goes back to sleep on the full buffer.
//! Consumer 1 empties the buffer and signals, but the signal wakes consumer 2
//! (the other consumer!) instead of the producer. Consumer 2 finds the buffer
//! empty and sleeps again: the producer and consumer 2 sleep for ever.
//!
//! ## Teacher marks (written before looking at racelab's marks)
//! 1. `tc1`'s `notify_one cv` after taking the item, issued while both `tc2`
//!    and `tp` wait on `cv`: kind `lost_wakeup` ("wakes one waiter": it woke
//!    `tc2`, a consumer that cannot proceed, and the producer is never
//!    woken). Lenient: the same explanation on `tc2`'s wait again after it
//!    was woken (the woken waiter that waits again).
//! 2. `tp`'s final `wait cv` (the producer asleep on a full buffer, then on
//!    an empty one nobody will refill): kind `lost_wakeup` or `deadlock`,
//!    with text saying nobody left can wake it / it waits for a consumer that
//!    waits for it. Lenient: the same on `tc2`'s final wait.
//!
//! Spurious: a mark on `tp`'s first `notify_one` (it correctly woke a
//! consumer); `lost_update` or `stale_check` marks on the buffer's lock lines
//! (every check is in a `while`); a "cycle" through `main`'s joins presented
//! as the cause.
//!
//! Controls: two condvars, `empty` and `fill` (OSTEP's `main-two-cvs-while.c`),
//! and one condvar with `notify_all` (the other primitive call the book
//! mentions as a blunt fix).

use crate::common::{explore, loom, shuttle};
use racelab::explore::{FailureKind, Scenario};
use racelab::sync::{thread, Arc, Condvar, Mutex};

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Fix {
    /// `main-one-cv-while.c`: the bug.
    OneCv,
    /// `main-two-cvs-while.c`.
    TwoCvs,
    /// One condvar, but `notify_all`.
    NotifyAll,
}

struct Buffer {
    slot: Mutex<Option<u32>>,
    /// The one condvar (`OneCv`, `NotifyAll`), or "buffer is empty" (`TwoCvs`).
    empty: Condvar,
    /// "Buffer is full" (`TwoCvs` only).
    fill: Condvar,
    fix: Fix,
}

impl Buffer {
    fn signal_empty(&self) {
        match self.fix {
            Fix::OneCv | Fix::TwoCvs => self.empty.notify_one(),
            Fix::NotifyAll => self.empty.notify_all(),
        }
    }

    fn signal_fill(&self) {
        match self.fix {
            Fix::OneCv => self.empty.notify_one(),
            Fix::TwoCvs => self.fill.notify_one(),
            Fix::NotifyAll => self.empty.notify_all(),
        }
    }

    fn wait_fill<'a>(
        &self,
        g: racelab::sync::MutexGuard<'a, Option<u32>>,
    ) -> racelab::sync::MutexGuard<'a, Option<u32>> {
        match self.fix {
            Fix::TwoCvs => self.fill.wait(g).unwrap(),
            _ => self.empty.wait(g).unwrap(),
        }
    }

    fn put(&self, v: u32) {
        let mut g = self.slot.lock().unwrap();
        while g.is_some() {
            g = self.empty.wait(g).unwrap();
        }
        *g = Some(v);
        self.signal_fill();
    }

    fn get(&self) -> u32 {
        let mut g = self.slot.lock().unwrap();
        while g.is_none() {
            g = self.wait_fill(g);
        }
        let v = g.take().unwrap();
        self.signal_empty();
        v
    }
}

fn producer_consumer(fix: Fix) -> Scenario<u32> {
    Scenario::new(format!("ostep::pc_{fix:?}"), move || {
        let cv_name = if fix == Fix::TwoCvs { "empty" } else { "cv" };
        let b = Arc::new(Buffer {
            slot: Mutex::new(None).named("buffer"),
            empty: Condvar::new().named(cv_name),
            fill: Condvar::new().named("fill"),
            fix,
        });
        let consumer = |name: &str| {
            let b = Arc::clone(&b);
            thread::Builder::new().name(name).spawn(move || b.get()).unwrap()
        };
        let tc1 = consumer("tc1");
        let tc2 = consumer("tc2");
        let p = Arc::clone(&b);
        let tp = thread::Builder::new()
            .name("tp")
            .spawn(move || {
                p.put(1);
                p.put(2);
            })
            .unwrap();
        tp.join().unwrap();
        tc1.join().unwrap() + tc2.join().unwrap()
    })
    .expect_only(3)
}

#[test]
fn a02_one_cv_loom() {
    explore(&producer_consumer(Fix::OneCv), &loom()).assert_racy(Some(FailureKind::Deadlock));
}

#[test]
fn a02_one_cv_shuttle() {
    explore(&producer_consumer(Fix::OneCv), &shuttle()).assert_racy(Some(FailureKind::Deadlock));
}

#[test]
fn a02_control_two_cvs_holds() {
    explore(&producer_consumer(Fix::TwoCvs), &loom()).assert_holds();
    explore(&producer_consumer(Fix::TwoCvs), &shuttle()).assert_holds();
}

#[test]
fn a02_control_notify_all_holds() {
    explore(&producer_consumer(Fix::NotifyAll), &loom()).assert_holds();
    explore(&producer_consumer(Fix::NotifyAll), &shuttle()).assert_holds();
}
