//! # Linux 46acef048a65: "mm,compaction: serialize waitqueue_active() checks"
//!
//! **Source.** Linux kernel commit 46acef048a6568ba490f636db8682a1461ed223c
//! (Davidlohr Bueso, v4.11-rc1, 2017; posted to linux-mm as "[PATCH]
//! mm,compaction: serialize waitqueue_active() checks"):
//!
//! > Without a memory barrier, the following race can occur with a
//! > high-order allocation:
//! >
//! > ```text
//! > wakeup_kcompactd(order == 1)              kcompactd()
//! >   [L] waitqueue_active(kcompactd_wait)
//! >                                             [S] prepare_to_wait_event(kcompactd_wait)
//! >                                             [L] (kcompactd_max_order == 0)
//! >   [S] kcompactd_max_order = order;          schedule()
//! > ```
//! >
//! > Where the waitqueue_active() check is speculatively re-ordered to before
//! > setting the actual condition (max_order), not seeing the threads that's
//! > going to block; making us miss a wakeup.
//!
//! The fix calls `wq_has_sleeper()`, which is `smp_mb()` then
//! `waitqueue_active()` (the commit also names the other option: wake up
//! unconditionally and serialise on the wait queue's spinlock).
//!
//! **The program.** Thread `kcompactd` runs `wait_event(kcompactd_wait,
//! kcompactd_max_order > 0)`: it queues itself (`prepare_to_wait_event`, whose
//! `set_current_state` is a full barrier: `SeqCst` here), tests the condition,
//! and sleeps (`schedule()`: waits on the semaphore `kcompactd_task`, which
//! `wake_up` releases; a wake-up before the sleep is kept, as a task set
//! `TASK_RUNNING` does not sleep). `main` runs `wakeup_kcompactd(order = 1)`:
//! raises `kcompactd_max_order` with a plain store (`Relaxed`), then returns
//! early unless `waitqueue_active()`, a plain load (`Relaxed`) with no
//! barrier, says someone waits; then `main` joins `kcompactd`.
//!
//! **The bug.** Store buffering: the waker's load of the wait queue may read
//! "empty" although kcompactd queued itself, while kcompactd's load of
//! `kcompactd_max_order` reads 0 although the waker stored 1. Both miss each
//! other: kcompactd sleeps and nobody wakes it (a lost wake-up; the model then
//! has `main` in `join` and `kcompactd` asleep: a deadlock). No sequentially
//! consistent interleaving shows it: shuttle (every atomic `SeqCst`) cannot
//! see the bug at all; only loom's C11 model can.
//!
//! **Teacher marks** (loom, written before the first run):
//! 1. the stale load of the pair: `main`'s `Relaxed` `load kcompactd_wait ->
//!    false` if it runs after kcompactd's store (or else kcompactd's `load
//!    kcompactd_max_order -> 0` after main's store): kind `stale_read` or
//!    `no_sync`: "reads the queue as empty although kcompactd queued itself at
//!    step N: without a full barrier the check moved before the store of
//!    `kcompactd_max_order`".
//! 2. `kcompactd`'s `acquire kcompactd_task` (the sleep never ended): kind
//!    `lost_wakeup` (or `deadlock`): "kcompactd sleeps on a condition the
//!    waker already made true; the waker decided nobody was waiting".
//!
//! Shuttle: no marks (the backend cannot see the bug; it should hold).
//! No mark belongs on: main's first `load kcompactd_max_order -> 0` (a true
//! read), the spawn; a `deadlock` mark on main's `join` is true (it waits for
//! kcompactd) and is only noted.
//!
//! **Controls.** (a) The fix: `smp_mb()` on both sides (`fence(SeqCst)`
//! between each side's store and load). (b) The commit's other option: the
//! waker takes the wait queue's spinlock (a `Mutex`) to test it, and
//! kcompactd queues itself and tests the condition under the same lock.

use racelab::explore::{FailureKind, Scenario};
use racelab::sync::atomic::{fence, AtomicBool, AtomicU32, Ordering};
use racelab::sync::{thread, Arc, Mutex, Semaphore};

use crate::common;

#[derive(Clone, Copy, PartialEq)]
enum Variant {
    /// `waitqueue_active()` with no barrier.
    Racy,
    /// `wq_has_sleeper()`: `smp_mb()` before the test (and kcompactd's
    /// `set_current_state` barrier as a fence).
    Barrier,
    /// Serialise both sides on the wait queue's lock.
    Locked,
}

struct PgData {
    kcompactd_max_order: AtomicU32,
    /// Non-empty wait queue: what `waitqueue_active()` tests.
    kcompactd_wait: AtomicBool,
    /// The wait queue's spinlock (variant `Locked` only).
    wait_lock: Mutex<()>,
    /// `schedule()` / `wake_up()` of the kcompactd task.
    kcompactd_task: Semaphore,
}

fn kcompactd(pg: &PgData, v: Variant) -> u32 {
    let sleep = match v {
        Variant::Racy => {
            pg.kcompactd_wait.store(true, Ordering::SeqCst); // prepare_to_wait_event + smp_mb
            pg.kcompactd_max_order.load(Ordering::SeqCst) == 0
        }
        Variant::Barrier => {
            pg.kcompactd_wait.store(true, Ordering::Relaxed);
            fence(Ordering::SeqCst); // set_current_state(): smp_mb()
            pg.kcompactd_max_order.load(Ordering::Relaxed) == 0
        }
        Variant::Locked => {
            let _g = pg.wait_lock.lock().unwrap();
            pg.kcompactd_wait.store(true, Ordering::Relaxed);
            pg.kcompactd_max_order.load(Ordering::Relaxed) == 0
        }
    };
    if sleep {
        pg.kcompactd_task.acquire(); // schedule()
    }
    pg.kcompactd_max_order.load(Ordering::Relaxed)
}

fn wakeup_kcompactd(pg: &PgData, order: u32, v: Variant) {
    match v {
        Variant::Racy | Variant::Barrier => {
            if pg.kcompactd_max_order.load(Ordering::Relaxed) < order {
                pg.kcompactd_max_order.store(order, Ordering::Relaxed);
            }
            if v == Variant::Barrier {
                fence(Ordering::SeqCst); // wq_has_sleeper(): smp_mb()
            }
            if !pg.kcompactd_wait.load(Ordering::Relaxed) {
                return; // !waitqueue_active(): nobody to wake
            }
            pg.kcompactd_task.release(); // wake_up_interruptible()
        }
        Variant::Locked => {
            let _g = pg.wait_lock.lock().unwrap();
            if pg.kcompactd_max_order.load(Ordering::Relaxed) < order {
                pg.kcompactd_max_order.store(order, Ordering::Relaxed);
            }
            if pg.kcompactd_wait.load(Ordering::Relaxed) {
                pg.kcompactd_task.release();
            }
        }
    }
}

fn scenario(name: &str, v: Variant) -> Scenario<String> {
    Scenario::new(name, move || {
        let pg = Arc::new(PgData {
            kcompactd_max_order: AtomicU32::new(0).named("kcompactd_max_order"),
            kcompactd_wait: AtomicBool::new(false).named("kcompactd_wait"),
            wait_lock: Mutex::new(()).named("kcompactd_wait.lock"),
            kcompactd_task: Semaphore::new(0).named("kcompactd_task"),
        });
        let p = Arc::clone(&pg);
        let k = thread::Builder::new()
            .name("kcompactd")
            .spawn(move || kcompactd(&p, v))
            .unwrap();
        wakeup_kcompactd(&pg, 1, v);
        let order = k.join().unwrap();
        format!("kcompactd woke with order {order}")
    })
    .expect_only("kcompactd woke with order 1".to_string())
}

#[test]
fn racy_loom() {
    let s = scenario("b03::kcompactd_waitqueue_active", Variant::Racy);
    common::explore(&s, &common::loom()).assert_racy(Some(FailureKind::Deadlock));
}

/// shuttle runs every atomic as `SeqCst`: store buffering never shows.
#[test]
fn racy_shuttle_cannot_see_it() {
    let s = scenario("b03::kcompactd_waitqueue_active", Variant::Racy);
    common::explore(&s, &common::shuttle()).assert_holds();
}

#[test]
fn control_smp_mb_loom() {
    let s = scenario("b03::kcompactd_wq_has_sleeper", Variant::Barrier);
    common::explore(&s, &common::loom()).assert_holds();
}

#[test]
fn control_smp_mb_shuttle() {
    let s = scenario("b03::kcompactd_wq_has_sleeper", Variant::Barrier);
    common::explore(&s, &common::shuttle()).assert_holds();
}

#[test]
fn control_wait_lock_loom() {
    let s = scenario("b03::kcompactd_wait_lock", Variant::Locked);
    common::explore(&s, &common::loom()).assert_holds();
}

#[test]
fn control_wait_lock_shuttle() {
    let s = scenario("b03::kcompactd_wait_lock", Variant::Locked);
    common::explore(&s, &common::shuttle()).assert_holds();
}
