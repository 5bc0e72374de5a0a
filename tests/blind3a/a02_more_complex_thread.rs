//! **The Deadlock Empire, level L3 "A More Complex Thread"** (Locks chapter:
//! "Three locks, two threads, one flag").
//!
//! Thread 0: `if (TryEnter(mutex)) { Enter(mutex3); Enter(mutex);
//! critical_section(); Exit(mutex); Enter(mutex2); flag = false;
//! Exit(mutex2); Exit(mutex3); } else { Enter(mutex2); flag = true;
//! Exit(mutex2); }`. Thread 1: `if (flag) { Enter(mutex2); Enter(mutex);
//! flag = false; critical_section(); Exit(mutex); ... } else { Enter(mutex);
//! flag = false; Exit(mutex); }`. The level's own moral: "the critical
//! section was just there to confuse you": thread 0 holds `mutex` (taken by
//! `TryEnter`) while it waits for `mutex2`, and thread 1 holds `mutex2`
//! while it waits for `mutex`: a lock-order cycle, reachable only after a
//! failed `TryEnter` made thread 0 raise `flag`, steering thread 1 into the
//! branch that locks in the other order. Transcribed with Rust's
//! non-reentrant `Mutex`: the inner re-entrant `Enter(mutex)/Exit(mutex)`
//! pair is a no-op and is left out, guards drop at the end of each branch.
//! Two iterations each; `flag` is an `AtomicBool` (`SeqCst`).
//!
//! **Teacher marks (written before looking at racelab's marks)**
//! 1. `t0`: `lock mutex2` (blocked for ever) while holding `mutex`, which its
//!    `try_lock mutex` took - kind: *deadlock cycle* (t0 holds mutex, waits
//!    for mutex2 held by t1).
//! 2. `t1`: `lock mutex` (blocked for ever) while holding `mutex2` - kind:
//!    *deadlock cycle* (t1 holds mutex2, waits for mutex held by t0).
//!
//! Context a teacher might underline but not count as the explanation:
//! t0's successful `try_lock mutex` and t1's `lock mutex2` (the two
//! holdings); t0's `store flag <- true` in the else branch (why t1 took the
//! other lock order). Marks of lost-update / stale-check / race kinds on the
//! flag accesses would be spurious: the flag's value is never wrong here.

use racelab::explore::Scenario;
use racelab::sync::atomic::{AtomicBool, Ordering::SeqCst};
use racelab::sync::{thread, Arc, Mutex};

use crate::common;

struct Locks {
    mutex: Mutex<()>,
    mutex2: Mutex<()>,
    mutex3: Mutex<()>,
    flag: AtomicBool,
}

/// `fixed`: thread 1's flag branch takes `mutex` before `mutex2`, the order
/// thread 0 uses (the control).
fn scenario(fixed: bool) -> Scenario<String> {
    let name = if fixed {
        "blind3a::more_complex_thread_ordered"
    } else {
        "blind3a::more_complex_thread"
    };
    Scenario::new(name, move || {
        let l = Arc::new(Locks {
            mutex: Mutex::new(()).named("mutex"),
            mutex2: Mutex::new(()).named("mutex2"),
            mutex3: Mutex::new(()).named("mutex3"),
            flag: AtomicBool::new(false).named("flag"),
        });
        let a = Arc::clone(&l);
        let t0 = thread::Builder::new()
            .name("t0")
            .spawn(move || {
                for _ in 0..2 {
                    if let Ok(_m) = a.mutex.try_lock() {
                        let _m3 = a.mutex3.lock().unwrap();
                        // Enter(mutex); critical_section(); Exit(mutex): re-entrant, a no-op here.
                        let _m2 = a.mutex2.lock().unwrap();
                        a.flag.store(false, SeqCst);
                    } else {
                        let _m2 = a.mutex2.lock().unwrap();
                        a.flag.store(true, SeqCst);
                    }
                }
            })
            .unwrap();
        let b = Arc::clone(&l);
        let t1 = thread::Builder::new()
            .name("t1")
            .spawn(move || {
                for _ in 0..2 {
                    if b.flag.load(SeqCst) {
                        if fixed {
                            let _m = b.mutex.lock().unwrap();
                            let _m2 = b.mutex2.lock().unwrap();
                            b.flag.store(false, SeqCst);
                        } else {
                            let _m2 = b.mutex2.lock().unwrap();
                            let _m = b.mutex.lock().unwrap();
                            b.flag.store(false, SeqCst);
                            // critical_section();
                        }
                    } else {
                        let _m = b.mutex.lock().unwrap();
                        b.flag.store(false, SeqCst);
                    }
                }
            })
            .unwrap();
        t0.join().unwrap();
        t1.join().unwrap();
        "both threads finished".to_owned()
    })
    .expect_only("both threads finished".to_owned())
}

// WRONG VERDICT at the default bounds: loom (at most 3 preemptions) and
// shuttle (depth 3, 1000 schedules) both say "holds" for a program that
// deadlocks. A sequentially consistent deadlocking schedule exists (shuttle
// finds one at depth 4), and loom needs bound 4 in its own count. Asserting
// the right verdict, ignored; the tests below raise the bounds.
#[test]
#[ignore = "wrong verdict at default bounds: loom bound 3 and shuttle depth 3 miss this deadlock"]
fn loom() {
    let report = common::explore(&scenario(false), &common::loom());
    report.assert_racy(Some(racelab::explore::FailureKind::Deadlock));
}

#[test]
#[ignore = "wrong verdict at default bounds: loom bound 3 and shuttle depth 3 miss this deadlock"]
fn shuttle() {
    let report = common::explore(&scenario(false), &common::shuttle());
    report.assert_racy(Some(racelab::explore::FailureKind::Deadlock));
}

/// loom with no preemption bound finds it (the marks graded in SCORES.md).
#[test]
fn loom_unbounded() {
    let report = common::explore(&scenario(false), &common::loom().with_preemption_bound(None));
    report.assert_racy(Some(racelab::explore::FailureKind::Deadlock));
}

/// shuttle at depth 4 with 5000 schedules finds it (the marks graded in SCORES.md).
#[test]
fn shuttle_depth4() {
    let explorer = common::shuttle().with_depth(4).with_budget(5000);
    let report = common::explore(&scenario(false), &explorer);
    report.assert_racy(Some(racelab::explore::FailureKind::Deadlock));
}

#[test]
fn control_loom() {
    common::explore(&scenario(true), &common::loom()).assert_holds();
}

#[test]
fn control_shuttle() {
    common::explore(&scenario(true), &common::shuttle()).assert_holds();
}
