//! **Anderson & Dahlin, "Too Much Milk", solution 1 (one note).**
//!
//! Source: T. Anderson and M. Dahlin, *Operating Systems: Principles and
//! Practice* (2nd ed., Recursive Books, 2014), §5.2 "Shared Objects and
//! Synchronization", "Too much milk", Solution 1 (p. 185; page image at
//! <https://fliphtml5.com/wbavl/ladu/Operating_system_Principles_and_practice/196>).
//! The book assumes atomic loads and stores that run in program order, so
//! the atomics here are `SeqCst`.
//!
//! The program: two roommates each run
//! `if (milk == 0) { if (note == 0) { note = 1; milk++; note = 0; } }`.
//! Buying is one action here (`milk.fetch_add(1)`): the puzzle is about the
//! checks, not about the increment.
//!
//! The bug (the book's own trace): "the first thread could execute
//! everything up to and including the check of the milk value and then get
//! context switched. Then the second thread could run through all of this
//! code and buy milk. Finally, the first thread could be rescheduled, see
//! that note == 0 is true, leave the note, buy more milk, and remove the
//! note, leaving the system with milk == 2."
//!
//! Expected bad execution: alice `load milk -> 0`; bob `load milk -> 0`,
//! `load note -> 0`, `store note <- 1`, `fetch_add milk 0 -> 1`,
//! `store note <- 0`; alice `load note -> 0`, `store note <- 1`,
//! `fetch_add milk 1 -> 2`, `store note <- 0`. (Another failing order: both
//! pass both checks before either leaves the note.)
//!
//! **Teacher marks** (1 per backend):
//! 1. the second buyer's `fetch_add milk` (the one that makes milk 2): kind
//!    `stale_check`: "buys on the check `load milk -> 0` at step N, which
//!    the other roommate's purchase at step M made stale" (if the shown
//!    execution also has a stale `load note -> 0`, naming that check is as
//!    good). Lenient: `atomicity_violation` on the same step naming the same
//!    check and purchase, or the mark on the stale check itself naming the
//!    purchase that invalidated it.
//!
//! No mark belongs on: the first purchase (it was right when made), the
//! note stores (blind writes; `store note <- 0` in particular), the spawns
//! and joins, main's final `load milk`.
//!
//! Controls: (1) the book's Solution 3 (two notes, one roommate waits while
//! the other's note is up), on `SeqCst`; (2) another primitive: buying by
//! `compare_exchange(0, 1)`, check and buy in one atomic step.

use racelab::explore::{FailureKind, Scenario};
use racelab::sync::atomic::{AtomicU32, Ordering::SeqCst};
use racelab::sync::{hint, thread, Arc};

use crate::common;

fn roommate(milk: &AtomicU32, note: &AtomicU32) {
    if milk.load(SeqCst) == 0 {
        // if no milk
        if note.load(SeqCst) == 0 {
            // if no note
            note.store(1, SeqCst); // leave note
            milk.fetch_add(1, SeqCst); // buy milk
            note.store(0, SeqCst); // remove note
        }
    }
}

fn racy() -> Scenario<String> {
    Scenario::new("blind7a::too_much_milk_1", || {
        let milk = Arc::new(AtomicU32::new(0).named("milk"));
        let note = Arc::new(AtomicU32::new(0).named("note"));
        let handles: Vec<_> = ["alice", "bob"]
            .into_iter()
            .map(|name| {
                let (m, n) = (Arc::clone(&milk), Arc::clone(&note));
                thread::Builder::new()
                    .name(name)
                    .spawn(move || roommate(&m, &n))
                    .unwrap()
            })
            .collect();
        for h in handles {
            h.join().unwrap();
        }
        format!("milk = {}", milk.load(SeqCst))
    })
    .expect_only("milk = 1".to_owned())
}

/// Control 1: Solution 3. A: leave note A; while (note B) wait; if (no milk)
/// buy; remove note A. B: leave note B; if (no note A) { if (no milk) buy };
/// remove note B.
fn solution_three() -> Scenario<String> {
    Scenario::new("blind7a::too_much_milk_3", || {
        let milk = Arc::new(AtomicU32::new(0).named("milk"));
        let note_a = Arc::new(AtomicU32::new(0).named("noteA"));
        let note_b = Arc::new(AtomicU32::new(0).named("noteB"));
        let (m, na, nb) = (Arc::clone(&milk), Arc::clone(&note_a), Arc::clone(&note_b));
        let alice = thread::Builder::new()
            .name("alice")
            .spawn(move || {
                na.store(1, SeqCst);
                while nb.load(SeqCst) == 1 {
                    hint::spin_loop();
                }
                if m.load(SeqCst) == 0 {
                    m.fetch_add(1, SeqCst);
                }
                na.store(0, SeqCst);
            })
            .unwrap();
        let (m, na, nb) = (Arc::clone(&milk), Arc::clone(&note_a), Arc::clone(&note_b));
        let bob = thread::Builder::new()
            .name("bob")
            .spawn(move || {
                nb.store(1, SeqCst);
                if na.load(SeqCst) == 0 && m.load(SeqCst) == 0 {
                    m.fetch_add(1, SeqCst);
                }
                nb.store(0, SeqCst);
            })
            .unwrap();
        alice.join().unwrap();
        bob.join().unwrap();
        format!("milk = {}", milk.load(SeqCst))
    })
    .expect_only("milk = 1".to_owned())
}

/// Control 2: buy only if the fridge still has none, in one atomic step.
fn compare_exchange() -> Scenario<String> {
    Scenario::new("blind7a::too_much_milk_cas", || {
        let milk = Arc::new(AtomicU32::new(0).named("milk"));
        let handles: Vec<_> = ["alice", "bob"]
            .into_iter()
            .map(|name| {
                let m = Arc::clone(&milk);
                thread::Builder::new()
                    .name(name)
                    .spawn(move || {
                        let _ = m.compare_exchange(0, 1, SeqCst, SeqCst);
                    })
                    .unwrap()
            })
            .collect();
        for h in handles {
            h.join().unwrap();
        }
        format!("milk = {}", milk.load(SeqCst))
    })
    .expect_only("milk = 1".to_owned())
}

#[test]
fn racy_loom() {
    common::explore(&racy(), &common::loom()).assert_racy(Some(FailureKind::ForbiddenOutcome));
}

#[test]
fn racy_shuttle() {
    common::explore(&racy(), &common::shuttle()).assert_racy(Some(FailureKind::ForbiddenOutcome));
}

#[test]
fn solution_three_holds() {
    common::explore(&solution_three(), &common::loom()).assert_holds();
    common::explore(&solution_three(), &common::shuttle()).assert_holds();
}

#[test]
fn compare_exchange_holds() {
    common::explore(&compare_exchange(), &common::loom()).assert_holds();
    common::explore(&compare_exchange(), &common::shuttle()).assert_holds();
}
