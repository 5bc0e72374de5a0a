//! a07: `isEmpty()` then `get(0)` on a synchronized list.
//!
//! **Source.** MIT 6.005 Software Construction, Reading 20 "Thread Safety"
//! (Spring 2016, <http://web.mit.edu/6.005/www/sp16/classes/20-thread-safety/>;
//! 6.031's later "Thread Safety" reading keeps it), section on threadsafe
//! collections: "Atomic operations aren't enough to prevent races: the way
//! that you use the synchronized collection can still have a race condition.
//! Consider this code, which checks whether a list has at least one element
//! and then gets that element:
//!
//! ```java
//! if ( ! lst.isEmpty()) { String s = lst.get(0); ... }
//! ```
//!
//! Even if you make `lst` into a synchronized list, this code still may have
//! a race condition, because another thread may remove the element between
//! the `isEmpty()` call and the `get()` call." The follow-up reading ("Locks
//! and Synchronization") fixes it by holding the list's lock around both:
//! `synchronized (lst) { if (!lst.isEmpty()) { ... lst.get(0) ... } }`.
//!
//! **Transcription.** `Collections.synchronizedList(...)`: a
//! `Mutex<Vec<&str>>` named `lst`, each list method one `lock()` held for that
//! call only. The list starts as `["job"]`. Thread `reader` runs the reading's
//! code; thread `remover` runs the "other thread": `if (!lst.isEmpty())
//! lst.remove(0)`. The outcome is what `reader`'s `get(0)` did (Java would
//! throw `IndexOutOfBoundsException` on an empty list).
//!
//! **The bug.** Check-then-act: reader's `isEmpty()` (false) and its
//! `get(0)` are two critical sections; the remover empties the list between
//! them.
//!
//! **Teacher marks** (written before the first run), on both backends:
//! - reader's `get(0)`: its `lock lst -> []`, kind `stale_check`: "acts on
//!   the check at step N (`isEmpty` saw `["job"]`), which remover changed at
//!   step M (`remove(0)`)". One mark per backend. A mark on the remover's
//!   `unlock lst -> []` naming the reader's check and act as the split pair
//!   is lenient.
//! - No mark on the remover's own check and remove (its check-then-act is
//!   not interleaved by anyone in this execution), on the spawns, on the
//!   joins.
//!
//! **Controls.** (1) The reading's fix: the reader holds the list's lock
//! across `isEmpty()` and `get(0)` (and so does the remover). (2) Another
//! primitive: the list behind an `RwLock`; the reader holds one read guard
//! across check and get, the remover a write guard across its check and
//! remove.

use racelab::explore::{FailureKind, Scenario};
use racelab::sync::{thread, Arc, Mutex, RwLock};

use crate::common;

const OK: &str = "reader got \"job\" or saw an empty list";

fn grade(o: &String) -> racelab::explore::Grade {
    if o == "get(0) -> \"job\"" || o == "isEmpty() -> true" {
        racelab::explore::Grade::Acceptable
    } else {
        racelab::explore::Grade::Forbidden
    }
}

fn racy() -> Scenario<String> {
    Scenario::new("blind6a::mit_synchronized_list_check_then_get", || {
        let lst = Arc::new(Mutex::new(vec!["job"]).named("lst"));
        let r = Arc::clone(&lst);
        let reader = thread::Builder::new()
            .name("reader")
            .spawn(move || {
                // if (!lst.isEmpty()) { String s = lst.get(0); ... }
                let empty = r.lock().unwrap().is_empty();
                if empty {
                    return "isEmpty() -> true".to_owned();
                }
                let got = r.lock().unwrap().first().copied();
                match got {
                    Some(s) => format!("get(0) -> {s:?}"),
                    None => "get(0) -> IndexOutOfBoundsException".to_owned(),
                }
            })
            .unwrap();
        let w = Arc::clone(&lst);
        let remover = thread::Builder::new()
            .name("remover")
            .spawn(move || {
                // if (!lst.isEmpty()) lst.remove(0);
                let empty = w.lock().unwrap().is_empty();
                if !empty {
                    w.lock().unwrap().remove(0);
                }
            })
            .unwrap();
        remover.join().unwrap();
        reader.join().unwrap()
    })
    .expect(OK, grade)
}

fn fixed_hold_lock() -> Scenario<String> {
    Scenario::new("blind6a::mit_synchronized_list_hold_lock", || {
        let lst = Arc::new(Mutex::new(vec!["job"]).named("lst"));
        let r = Arc::clone(&lst);
        let reader = thread::Builder::new()
            .name("reader")
            .spawn(move || {
                // synchronized (lst) { if (!lst.isEmpty()) { s = lst.get(0); } }
                let guard = r.lock().unwrap();
                if guard.is_empty() {
                    return "isEmpty() -> true".to_owned();
                }
                match guard.first().copied() {
                    Some(s) => format!("get(0) -> {s:?}"),
                    None => "get(0) -> IndexOutOfBoundsException".to_owned(),
                }
            })
            .unwrap();
        let w = Arc::clone(&lst);
        let remover = thread::Builder::new()
            .name("remover")
            .spawn(move || {
                let mut guard = w.lock().unwrap();
                if !guard.is_empty() {
                    guard.remove(0);
                }
            })
            .unwrap();
        remover.join().unwrap();
        reader.join().unwrap()
    })
    .expect(OK, grade)
}

fn fixed_rwlock() -> Scenario<String> {
    Scenario::new("blind6a::mit_synchronized_list_rwlock", || {
        let lst = Arc::new(RwLock::new(vec!["job"]).named("lst"));
        let r = Arc::clone(&lst);
        let reader = thread::Builder::new()
            .name("reader")
            .spawn(move || {
                let guard = r.read().unwrap();
                if guard.is_empty() {
                    return "isEmpty() -> true".to_owned();
                }
                match guard.first().copied() {
                    Some(s) => format!("get(0) -> {s:?}"),
                    None => "get(0) -> IndexOutOfBoundsException".to_owned(),
                }
            })
            .unwrap();
        let w = Arc::clone(&lst);
        let remover = thread::Builder::new()
            .name("remover")
            .spawn(move || {
                let mut guard = w.write().unwrap();
                if !guard.is_empty() {
                    guard.remove(0);
                }
            })
            .unwrap();
        remover.join().unwrap();
        reader.join().unwrap()
    })
    .expect(OK, grade)
}

#[test]
fn racy_loom() {
    let report = common::explore(&racy(), &common::loom());
    report.assert_racy(Some(FailureKind::ForbiddenOutcome));
}

#[test]
fn racy_shuttle() {
    let report = common::explore(&racy(), &common::shuttle());
    report.assert_racy(Some(FailureKind::ForbiddenOutcome));
}

#[test]
fn fixed_hold_lock_holds() {
    common::explore(&fixed_hold_lock(), &common::loom()).assert_holds();
    common::explore(&fixed_hold_lock(), &common::shuttle()).assert_holds();
}

#[test]
fn fixed_rwlock_holds() {
    common::explore(&fixed_rwlock(), &common::loom()).assert_holds();
    common::explore(&fixed_rwlock(), &common::shuttle()).assert_holds();
}
