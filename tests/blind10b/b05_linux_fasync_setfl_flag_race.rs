//! # b05: Linux `fcntl(F_SETFL)`, the FASYNC bit checked and set outside the fasync lock (check-then-act)
//!
//! **Source.** Oleg Nesterov, "BUG? 'Call fasync() functions without the
//! BKL' is racy", LKML, 28 November 2008
//! (<https://lkml.org/lkml/2008/11/28/156>): once commit a238b790 removed the
//! big kernel lock around it, `setfl(arg)` does `if ((arg ^ filp->f_flags) &
//! FASYNC) filp->f_op->fasync(fd, filp, (arg & FASYNC) != 0); filp->f_flags =
//! arg;` with nothing around it. "T1 calls setfl(FASYNC), preempted in
//! WINDOW_1. T2 calls setfl(FASYNC), does all job and returns. T3 calls
//! setfl(0), sees ->f_flags & FASYNC, does ->fasync(on => 0), preempted in
//! WINDOW_2. T1 resumes, does ->fasync(on => 1) again, update ->f_flags (it
//! already has FASYNC) and returns. T3 resumes, and clears FASYNC from
//! ->f_flags. Now, this file was added into some 'struct fasync_struct', but
//! ->f_flags doesn't have FASYNC. This means __fput() will skip ->fasync(on
//! => 0) and the next kill_fasync() can crash because fa_file points to the
//! freed/reused memory." Fixed by Jonathan Corbet's commit 76398425bb06
//! "Move FASYNC bit handling to f_op->fasync()": "keeping the setting of the
//! FASYNC bit in filp->f_flags atomic with regard to calls to the underlying
//! fasync() function ... if we make fasync_helper() set the FASYNC bit" (it
//! does so under its own lock).
//!
//! **The program, reduced.** `f_flags` is an atomic word (`SeqCst` loads and
//! stores standing for the kernel's plain accesses); the fasync list is a
//! `Mutex<bool>` ("this file is on the list"), changed by `fasync_helper`
//! under its lock. Threads `t1` and `t2` call `setfl(FASYNC)`, `t3` calls
//! `setfl(0)`; `f_flags` starts at 0. After all three, the file must be on
//! the list exactly when `f_flags` has FASYNC.
//!
//! **The bug.** Each `setfl` checks `f_flags`, maybe calls `fasync`, then
//! stores `f_flags`, as three separate steps. Besides Oleg's three-thread
//! schedule, two threads suffice: `t3` loads `f_flags -> 0` (no change
//! needed, skips `fasync`), `t1` runs whole (list on, `f_flags = FASYNC`),
//! `t3` stores `f_flags <- 0`: on the list, bit clear.
//!
//! **Teacher marks** (whichever schedule racelab shows):
//! 1. The act of the thread whose check went stale — in the two-thread
//!    schedule `t3`'s `store f_flags <- 0`; in Oleg's, `t1`'s late `fasync`
//!    (its lock of the list that sets it on after `t3` took it off) or
//!    `t3`'s final store — kind `stale_check` ("acts on the check at step N:
//!    another thread changed f_flags / the list after it") or `lost_update`
//!    (`t3` overwrites `t1`'s FASYNC, having read `f_flags` before it).
//!
//! No mark on the thread that ran its `setfl` whole and alone, nor on
//! `main`'s final reads, nor on `fasync_helper`'s own (correctly locked)
//! list update as a race on the list.
//!
//! **Controls.** The kernel's fix (the FASYNC bit set by `fasync_helper`
//! together with the list, under the fasync lock; `setfl` no longer stores
//! it), and the big kernel lock restored around the whole of `setfl`, as a
//! `Semaphore` with one permit (a different primitive).

use racelab::explore::{FailureKind, Grade, Scenario};
use racelab::sync::atomic::{AtomicU32, Ordering::SeqCst};
use racelab::sync::{thread, Arc, Mutex, Semaphore};

use crate::common;

const FASYNC: u32 = 0o20000;

struct File {
    f_flags: AtomicU32,
    /// fasync_helper's list: is this file on it?
    on_fasync_list: Mutex<bool>,
}

fn file() -> Arc<File> {
    Arc::new(File {
        f_flags: AtomicU32::new(0).named("f_flags"),
        on_fasync_list: Mutex::new(false).named("fasync_list"),
    })
}

/// fasync_helper, before the fix: the list only.
fn fasync(f: &File, on: bool) {
    *f.on_fasync_list.lock().unwrap() = on;
}

/// setfl, after a238b790 and before 76398425.
fn setfl(f: &File, arg: u32) {
    if (arg ^ f.f_flags.load(SeqCst)) & FASYNC != 0 {
        // WINDOW_1
        fasync(f, arg & FASYNC != 0);
    }
    // WINDOW_2
    f.f_flags.store(arg, SeqCst);
}

/// fasync_helper after 76398425: the FASYNC bit goes with the list.
fn fasync_fixed(f: &File, on: bool) {
    let mut list = f.on_fasync_list.lock().unwrap();
    *list = on;
    if on {
        f.f_flags.fetch_or(FASYNC, SeqCst);
    } else {
        f.f_flags.fetch_and(!FASYNC, SeqCst);
    }
}

/// setfl after 76398425: ->fasync() is responsible for the FASYNC bit.
fn setfl_fixed(f: &File, arg: u32) {
    if (arg ^ f.f_flags.load(SeqCst)) & FASYNC != 0 {
        fasync_fixed(f, arg & FASYNC != 0);
    }
    // f_flags = (arg & SETFL_MASK) | (f_flags & ~SETFL_MASK), FASYNC no
    // longer in SETFL_MASK: nothing else to set in this reduction.
}

fn consistent(o: &String) -> Grade {
    if o == "on list: true, FASYNC: true" || o == "on list: false, FASYNC: false" {
        Grade::Acceptable
    } else {
        Grade::Forbidden
    }
}

fn three_tasks(name: &'static str, call: fn(&File, u32)) -> Scenario<String> {
    Scenario::new(name, move || {
        let f = file();
        let mut handles = Vec::new();
        for (who, arg) in [("t1", FASYNC), ("t2", FASYNC), ("t3", 0)] {
            let f2 = Arc::clone(&f);
            handles.push(thread::Builder::new().name(who).spawn(move || call(&f2, arg)).unwrap());
        }
        for h in handles {
            h.join().unwrap();
        }
        let on = *f.on_fasync_list.lock().unwrap();
        format!("on list: {on}, FASYNC: {}", f.f_flags.load(SeqCst) & FASYNC != 0)
    })
    .expect("on the list exactly when f_flags has FASYNC", consistent)
}

fn racy() -> Scenario<String> {
    three_tasks("blind10b::b05_setfl_racy", setfl)
}

fn fixed_fasync_sets_bit() -> Scenario<String> {
    three_tasks("blind10b::b05_setfl_fasync_sets_bit", setfl_fixed)
}

fn fixed_bkl() -> Scenario<String> {
    Scenario::new("blind10b::b05_setfl_bkl", || {
        let f = file();
        let bkl = Arc::new(Semaphore::new(1).named("kernel_lock"));
        let mut handles = Vec::new();
        for (who, arg) in [("t1", FASYNC), ("t2", FASYNC), ("t3", 0)] {
            let (f2, b2) = (Arc::clone(&f), Arc::clone(&bkl));
            handles.push(
                thread::Builder::new()
                    .name(who)
                    .spawn(move || {
                        b2.acquire(); // lock_kernel()
                        setfl(&f2, arg);
                        b2.release(); // unlock_kernel()
                    })
                    .unwrap(),
            );
        }
        for h in handles {
            h.join().unwrap();
        }
        let on = *f.on_fasync_list.lock().unwrap();
        format!("on list: {on}, FASYNC: {}", f.f_flags.load(SeqCst) & FASYNC != 0)
    })
    .expect("on the list exactly when f_flags has FASYNC", consistent)
}

#[test]
fn b05_racy_loom() {
    let report = common::explore(&racy(), &common::loom());
    report.assert_racy(Some(FailureKind::ForbiddenOutcome));
}

#[test]
fn b05_racy_shuttle() {
    let report = common::explore(&racy(), &common::shuttle());
    report.assert_racy(Some(FailureKind::ForbiddenOutcome));
}

#[test]
fn b05_fixed_fasync_sets_bit_holds() {
    common::explore(&fixed_fasync_sets_bit(), &common::loom()).assert_holds();
    common::explore(&fixed_fasync_sets_bit(), &common::shuttle()).assert_holds();
}

#[test]
fn b05_fixed_bkl_holds() {
    common::explore(&fixed_bkl(), &common::loom()).assert_holds();
    common::explore(&fixed_bkl(), &common::shuttle()).assert_holds();
}
