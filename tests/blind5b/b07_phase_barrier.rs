//! # b07: a phased batch job where one worker leaves early
//!
//! Two workers process a batch in phases; at the end of each phase they meet
//! at a `Barrier` so that no one starts phase k+1 before phase k is done
//! (`processed`, an `AtomicU16`, counts items). A worker whose share of a
//! phase is empty thinks it is finished and `return`s, skipping the
//! barrier. Its partner then waits at the barrier for a second arrival that
//! never comes: a deadlock in every schedule (bob's share of phase 2 is
//! empty).
//!
//! ## Teacher marks (written before looking at racelab's marks)
//! Schedule: both `fetch_add processed`, both pass the phase-1 barrier
//! (its lock/wait/notify lines); alice `fetch_add processed` for phase 2,
//! alice waits at the `phase` barrier (a `wait phase` line that never
//! returns); bob has returned; main `join alice` (blocked).
//! 1. alice's last `wait phase` (phase 2): kind `deadlock`, "waits at phase
//!    for a thread that has finished / nothing left to wake it" (bob
//!    returned without arriving). There is no other end: bob's early
//!    `return` is not a step.
//!
//! Not spurious: main's `join alice` marked as waiting for alice (true).
//! Spurious: any mark on the phase-1 barrier lines (they completed); a
//! wait-for *cycle* (there is none: a chain main -> alice -> nobody);
//! `lost_wakeup` on the phase-1 `notify_all` (it woke its waiter);
//! `lost_update` on `processed`.
//!
//! Control: a worker with nothing to do still arrives at the barrier.

use racelab::explore::{FailureKind, Scenario};
use racelab::sync::atomic::{AtomicU16, Ordering::Relaxed};
use racelab::sync::{thread, Arc, Barrier};

use crate::common;

struct Batch {
    phase_done: Barrier,
    processed: AtomicU16,
}

fn worker(name: &'static str, batch: Arc<Batch>, shares: [u16; 2], fixed: bool) -> thread::JoinHandle<()> {
    thread::Builder::new()
        .name(name)
        .spawn(move || {
            for share in shares {
                if share == 0 && !fixed {
                    // BUG: "nothing for me, I'm done": the barrier waits for us.
                    return;
                }
                if share > 0 {
                    batch.processed.fetch_add(share, Relaxed);
                }
                batch.phase_done.wait();
            }
        })
        .unwrap()
}

fn phased(fixed: bool) -> Scenario<u16> {
    let name = if fixed {
        "b07::phases_always_arrive"
    } else {
        "b07::phases_racy"
    };
    Scenario::new(name, move || {
        let batch = Arc::new(Batch {
            phase_done: Barrier::new(2).named("phase"),
            processed: AtomicU16::new(0).named("processed"),
        });
        let alice = worker("alice", Arc::clone(&batch), [1, 1], fixed);
        let bob = worker("bob", Arc::clone(&batch), [1, 0], fixed);
        alice.join().unwrap();
        bob.join().unwrap();
        batch.processed.load(Relaxed)
    })
    .expect_only(3)
}

#[test]
fn loom_finds_the_deadlock() {
    common::explore(&phased(false), &common::loom()).assert_racy(Some(FailureKind::Deadlock));
}

#[test]
fn shuttle_finds_the_deadlock() {
    common::explore(&phased(false), &common::shuttle()).assert_racy(Some(FailureKind::Deadlock));
}

#[test]
fn control_always_arrive_holds() {
    common::explore(&phased(true), &common::loom()).assert_holds();
    common::explore(&phased(true), &common::shuttle()).assert_holds();
}
