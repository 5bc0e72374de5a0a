//! # OSTEP ch. 32: the order-violation bug (`mThread` used before it is set)
//!
//! Source: OSTEP ch. 32 ("Common Concurrency Problems"), section 32.2,
//! "Order-Violation Bugs" (a Mozilla bug from Lu et al., ASPLOS '08):
//! ```c
//! Thread 1::                              Thread 2::
//! void init() {                           void mMain(...) {
//!     mThread = PR_CreateThread(mMain,        mState = mThread->State;
//!                               ...);     }
//! }
//! ```
//! The bug: thread 2 assumes `mThread` is already set, but thread 1 only
//! stores it after `PR_CreateThread` returns, and the new thread may run
//! first: it reads `mThread == NULL` and crashes. Here `mThread` is an
//! `AtomicU64` (0 is NULL, 1 the handle), stored by `main` right after it
//! spawns `mMain`; `mMain` returns `None` for the NULL dereference.
//!
//! ## Teacher marks (written before looking at racelab's marks)
//! 1. `mMain`'s `load m_thread -> 0`: kind `order_violation` ("reads
//!    m_thread before main writes it", naming `main`'s store). Lenient:
//!    `main`'s `store m_thread <- 1`, explained as coming after mMain's read
//!    with nothing ordering them.
//!
//! Spurious: `stale_read` (the load comes before the store: it is not
//! stale, all `SeqCst`), `data_race`, `lost_update`, `stale_check`, marks on
//! the spawn or the join.
//!
//! Controls: OSTEP's fix (`mtLock`, `mtCond` and `mtInit`: `mMain` waits on a
//! condition variable until `init` has set `mThread`), and an `mpsc` channel
//! carrying the handle to `mMain` (another primitive).

use crate::common::{explore, loom, shuttle};
use racelab::explore::Scenario;
use racelab::sync::atomic::{AtomicU64, Ordering::SeqCst};
use racelab::sync::{mpsc, thread, Arc, Condvar, Mutex};

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Version {
    Racy,
    Condvar,
    Channel,
}

/// `mThread->State`: the "thread structure" the handle points to.
const STATE: u64 = 7;

fn m_main(version: Version) -> Scenario<String> {
    Scenario::new(format!("ostep::order_violation_{version:?}"), move || {
        let m_thread = Arc::new(AtomicU64::new(0).named("m_thread"));
        let mt_init = Arc::new((Mutex::new(false).named("mt_lock"), Condvar::new().named("mt_cond")));
        let (tx, rx) = mpsc::channel_named::<u64>("handle");
        let (mt, init) = (Arc::clone(&m_thread), Arc::clone(&mt_init));
        // init(): mThread = PR_CreateThread(mMain, ...);
        let m_main = thread::Builder::new()
            .name("mMain")
            .spawn(move || {
                let handle = match version {
                    Version::Racy => mt.load(SeqCst),
                    Version::Condvar => {
                        let (lock, cond) = &*init;
                        let mut ready = lock.lock().unwrap();
                        while !*ready {
                            ready = cond.wait(ready).unwrap();
                        }
                        drop(ready);
                        mt.load(SeqCst)
                    }
                    Version::Channel => rx.recv().unwrap(),
                };
                // mState = mThread->State;
                (handle != 0).then_some(STATE)
            })
            .unwrap();
        m_thread.store(1, SeqCst);
        match version {
            Version::Racy => {}
            Version::Condvar => {
                let (lock, cond) = &*mt_init;
                *lock.lock().unwrap() = true;
                cond.notify_one();
            }
            Version::Channel => tx.send(1).unwrap(),
        }
        match m_main.join().unwrap() {
            Some(state) => format!("mState = {state}"),
            None => "mMain dereferenced a NULL mThread".to_owned(),
        }
    })
    .expect_only(format!("mState = {STATE}"))
}

#[test]
fn a08_order_violation_loom() {
    explore(&m_main(Version::Racy), &loom()).assert_racy(Some(racelab::explore::FailureKind::ForbiddenOutcome));
}

#[test]
fn a08_order_violation_shuttle() {
    explore(&m_main(Version::Racy), &shuttle()).assert_racy(Some(racelab::explore::FailureKind::ForbiddenOutcome));
}

#[test]
fn a08_control_condvar_holds() {
    explore(&m_main(Version::Condvar), &loom()).assert_holds();
    explore(&m_main(Version::Condvar), &shuttle()).assert_holds();
}

#[test]
fn a08_control_channel_holds() {
    explore(&m_main(Version::Channel), &loom()).assert_holds();
    explore(&m_main(Version::Channel), &shuttle()).assert_holds();
}
