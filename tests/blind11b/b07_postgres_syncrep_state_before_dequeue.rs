//! # PostgreSQL 49a336020: "Fix ordering of operations in SyncRepWakeQueue to avoid assertion failure"
//!
//! **Source.** PostgreSQL commit 49a3360209ba07d385f1a9e619854bbbe1b7005f
//! (<https://git.postgresql.org/gitweb/?p=postgresql.git;a=commit;h=49a3360209ba07d385f1a9e619854bbbe1b7005f>,
//! 2017; bug #14721 reported by Const Zhang, analysis and fix by Thomas
//! Munro; back-patched to 9.5):
//!
//! > Commit 14e8803f1 removed the locking in SyncRepWaitForLSN, but that
//! > introduced a race condition, where SyncRepWaitForLSN might see
//! > syncRepState already set to SYNC_REP_WAIT_COMPLETE, but the process was
//! > not yet removed from the queue. That tripped the assertion, that the
//! > process should no longer be in the queue. Reorder the operations in
//! > SyncRepWakeQueue to remove the process from the queue first, and update
//! > syncRepState only after that, and add a memory barrier in between to make
//! > sure the operations are made visible to other processes in that order.
//!
//! **The program.** A backend (`main`) waits for synchronous replication: it
//! is on the wait queue (`syncRepLinks` attached) with `syncRepState =
//! WAITING`. It loops reading its `syncRepState` *without* `SyncRepLock`
//! (plain reads: `Relaxed`), sleeping on its latch (a semaphore) until it says
//! `COMPLETE`, then asserts `SHMQueueIsDetached(&MyProc->syncRepLinks)`.
//! The `walsender` thread, holding `SyncRepLock` (a `Mutex`), runs
//! `SyncRepWakeQueue`: sets `syncRepState = COMPLETE`, then
//! `SHMQueueDelete` (detach the links), then `SetLatch`.
//!
//! **The bug.** An order violation: the state says "done" before the process
//! is off the queue, and the backend does not take the lock, so it can see
//! `COMPLETE` and test the links while they are still attached: the
//! assertion fails (a panic). This needs no weak memory: both backends see it.
//!
//! **Teacher marks** (written before the first run):
//! 1. `walsender`'s `store syncRepState <- COMPLETE`: kind `order_violation`
//!    (or `stale_check`, "the flag set too early"): "announces completion
//!    before the process is removed from the queue (the detach comes after)".
//! 2. `main`'s `load syncRepLinks -> true` (the asserted read): kind
//!    `stale_check` / `order_violation`: "reads the queue link that
//!    `syncRepState` announced as detached, before walsender detaches it".
//!
//! No mark belongs on: walsender's lock/unlock of `SyncRepLock`, main's `load
//! syncRepState -> COMPLETE` (a true read of a value written), the latch,
//! the spawn.
//!
//! **Controls.** (a) The fix: detach first, `pg_write_barrier()` (a `Release`
//! fence), then the state; the backend reads the state, then
//! `pg_read_barrier()` (an `Acquire` fence), then the links. (b) The original
//! order, but the backend reads state and links under `SyncRepLock` (the
//! locking 14e8803f1 removed).

use racelab::explore::{FailureKind, Scenario};
use racelab::sync::atomic::Ordering::{Acquire, Release};
use racelab::sync::atomic::{fence, AtomicBool, AtomicU32, Ordering::Relaxed};
use racelab::sync::{thread, Arc, Mutex, Semaphore};

use crate::common;

const WAITING: u32 = 1;
const COMPLETE: u32 = 2;

#[derive(Clone, Copy, PartialEq)]
enum Variant {
    Racy,
    Barriers,
    Locked,
}

/// The parts of `PGPROC` that sync rep touches.
struct PgProc {
    sync_rep_state: AtomicU32,
    sync_rep_links_attached: AtomicBool,
    proc_latch: Semaphore,
}

fn sync_rep_wake_queue(lock: &Mutex<()>, proc_: &PgProc, v: Variant) {
    let _g = lock.lock().unwrap(); // LWLockAcquire(SyncRepLock, LW_EXCLUSIVE)
    match v {
        Variant::Racy | Variant::Locked => {
            proc_.sync_rep_state.store(COMPLETE, Relaxed);
            proc_.sync_rep_links_attached.store(false, Relaxed); // SHMQueueDelete
        }
        Variant::Barriers => {
            proc_.sync_rep_links_attached.store(false, Relaxed); // SHMQueueDelete
            fence(Release); // pg_write_barrier()
            proc_.sync_rep_state.store(COMPLETE, Relaxed);
        }
    }
    proc_.proc_latch.release(); // SetLatch
}

/// `SyncRepWaitForLSN`'s wait loop and the assertion after it.
fn sync_rep_wait_for_lsn(lock: &Mutex<()>, proc_: &PgProc, v: Variant) -> bool {
    loop {
        let done = match v {
            Variant::Locked => {
                let _g = lock.lock().unwrap();
                proc_.sync_rep_state.load(Relaxed) == COMPLETE && !proc_.sync_rep_links_attached.load(Relaxed)
            }
            _ => proc_.sync_rep_state.load(Relaxed) == COMPLETE,
        };
        if done {
            break;
        }
        proc_.proc_latch.acquire(); // WaitLatch
    }
    if v == Variant::Barriers {
        fence(Acquire); // pg_read_barrier()
    }
    let attached = proc_.sync_rep_links_attached.load(Relaxed);
    assert!(
        !attached,
        "TRAP: FailedAssertion(\"SHMQueueIsDetached(&(MyProc->syncRepLinks))\")"
    );
    attached
}

fn scenario(name: &str, v: Variant) -> Scenario<String> {
    Scenario::new(name, move || {
        let lock = Arc::new(Mutex::new(()).named("SyncRepLock"));
        let proc_ = Arc::new(PgProc {
            sync_rep_state: AtomicU32::new(WAITING).named("syncRepState"),
            sync_rep_links_attached: AtomicBool::new(true).named("syncRepLinks"),
            proc_latch: Semaphore::new(0).named("procLatch"),
        });
        let (l, p) = (Arc::clone(&lock), Arc::clone(&proc_));
        let walsender = thread::Builder::new()
            .name("walsender")
            .spawn(move || sync_rep_wake_queue(&l, &p, v))
            .unwrap();
        let attached = sync_rep_wait_for_lsn(&lock, &proc_, v);
        walsender.join().unwrap();
        format!("committed; still on the queue: {attached}")
    })
    .expect_only("committed; still on the queue: false".to_string())
}

#[test]
fn racy_loom() {
    let s = scenario("b07::syncrep_state_before_dequeue", Variant::Racy);
    common::explore(&s, &common::loom()).assert_racy(Some(FailureKind::Panic));
}

#[test]
fn racy_shuttle() {
    let s = scenario("b07::syncrep_state_before_dequeue", Variant::Racy);
    common::explore(&s, &common::shuttle()).assert_racy(Some(FailureKind::Panic));
}

#[test]
fn control_barriers_loom() {
    let s = scenario("b07::syncrep_dequeue_barrier_state", Variant::Barriers);
    common::explore(&s, &common::loom()).assert_holds();
}

#[test]
fn control_barriers_shuttle() {
    let s = scenario("b07::syncrep_dequeue_barrier_state", Variant::Barriers);
    common::explore(&s, &common::shuttle()).assert_holds();
}

#[test]
fn control_locked_reader_loom() {
    let s = scenario("b07::syncrep_reader_takes_lock", Variant::Locked);
    common::explore(&s, &common::loom()).assert_holds();
}

#[test]
fn control_locked_reader_shuttle() {
    let s = scenario("b07::syncrep_reader_takes_lock", Variant::Locked);
    common::explore(&s, &common::shuttle()).assert_holds();
}
