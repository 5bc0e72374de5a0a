//! # The Little Book of Semaphores 3.3: rendezvous, both threads wait first
//!
//! Source: Allen B. Downey, *The Little Book of Semaphores*, section 3.3
//! ("Rendezvous"), the deadlocking attempt discussed after the hint:
//! ```text
//! Thread A                  Thread B
//!   statement a1              statement b1
//!   bArrived.wait()           aArrived.wait()
//!   aArrived.signal()         bArrived.signal()
//!   statement a2              statement b2
//! ```
//! The bug: each thread waits for the other's arrival before announcing its
//! own. Both semaphores start at 0, so A blocks on `bArrived` (only B
//! releases it, after its own wait) and B blocks on `aArrived` (only A
//! releases it, after its wait): a wait-for cycle, in every execution.
//!
//! ## Teacher marks (written before looking at racelab's marks)
//! 1. `alice`'s `acquire b_arrived` (blocked for ever): kind `deadlock`, text
//!    saying she waits for `bob` to release `b_arrived`, which he only does
//!    after his own acquire, which waits for her (a cycle).
//! 2. `bob`'s `acquire a_arrived` (blocked for ever): kind `deadlock`, the
//!    other half of the cycle.
//!
//! Spurious: anything on statements a1/b1 (the `log` updates), on `main`'s
//! joins presented as part of the cycle, or any `lost_wakeup`,
//! `order_violation` or `lost_update` mark.
//!
//! Controls: Downey's solution (signal first, then wait), and a
//! `Barrier(2)` (another primitive).

use crate::common::{explore, loom, shuttle};
use racelab::explore::{FailureKind, Scenario};
use racelab::sync::atomic::{AtomicU32, Ordering::SeqCst};
use racelab::sync::{thread, Arc, Barrier, Semaphore};

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Version {
    WaitFirst,
    SignalFirst,
    Barrier,
}

fn rendezvous(version: Version) -> Scenario<u32> {
    Scenario::new(format!("lbos::rendezvous_{version:?}"), move || {
        let a_arrived = Arc::new(Semaphore::new(0).named("a_arrived"));
        let b_arrived = Arc::new(Semaphore::new(0).named("b_arrived"));
        let barrier = Arc::new(Barrier::new(2).named("barrier"));
        // The statements: a1/b1 add 1, a2/b2 check that both firsts ran.
        let log = Arc::new(AtomicU32::new(0).named("log"));
        let side = |me: &'static str, mine: Arc<Semaphore>, theirs: Arc<Semaphore>| {
            let (log, barrier) = (Arc::clone(&log), Arc::clone(&barrier));
            thread::Builder::new()
                .name(me)
                .spawn(move || {
                    log.fetch_add(1, SeqCst); // statement a1 / b1
                    match version {
                        Version::WaitFirst => {
                            theirs.acquire();
                            mine.release();
                        }
                        Version::SignalFirst => {
                            mine.release();
                            theirs.acquire();
                        }
                        Version::Barrier => {
                            barrier.wait();
                        }
                    }
                    log.load(SeqCst) // statement a2 / b2: sees both firsts
                })
                .unwrap()
        };
        let alice = side("alice", Arc::clone(&a_arrived), Arc::clone(&b_arrived));
        let bob = side("bob", Arc::clone(&b_arrived), Arc::clone(&a_arrived));
        let seen_by_alice = alice.join().unwrap();
        let seen_by_bob = bob.join().unwrap();
        seen_by_alice.min(seen_by_bob)
    })
    .expect_only(2)
}

#[test]
fn a03_wait_first_loom() {
    explore(&rendezvous(Version::WaitFirst), &loom()).assert_racy(Some(FailureKind::Deadlock));
}

#[test]
fn a03_wait_first_shuttle() {
    explore(&rendezvous(Version::WaitFirst), &shuttle()).assert_racy(Some(FailureKind::Deadlock));
}

#[test]
fn a03_control_signal_first_holds() {
    explore(&rendezvous(Version::SignalFirst), &loom()).assert_holds();
    explore(&rendezvous(Version::SignalFirst), &shuttle()).assert_holds();
}

#[test]
fn a03_control_barrier_holds() {
    explore(&rendezvous(Version::Barrier), &loom()).assert_holds();
    explore(&rendezvous(Version::Barrier), &shuttle()).assert_holds();
}
