//! a08: Hyman's published, wrong, mutual-exclusion algorithm.
//!
//! **Source.** Harris Hyman, "Comments on a problem in concurrent programming
//! control", *Communications of the ACM* 9(1):45, January 1966; retold as a
//! classroom exercise in John Sarraille's CS 3750 Operating Systems notes,
//! "Hyman's Incorrect 'Solution' to the Critical Section Problem"
//! (<https://www.cs.csustan.edu/~john/Classes/Previous_Semesters/CS3750_OperatingSys_I/2002_04_Fall/hymanProb.html>):
//!
//! ```c
//! initially turn=0, flag[0]=flag[1]=false;
//! void Protocol (int me, int you) {
//!   do {
//! 1.  flag[me] = true;
//! 2.  while (turn != me) {
//! 3.    while (flag[you])
//! 4.      /* do nothing */ ;
//! 5.    turn = me
//!     }
//! 6.  CriticalSection(me);
//! 7.  flag[me] = false;
//! 8.  RemainderSection(me);
//!   } while (true);
//! }
//! ```
//!
//! The notes' scenario: "P1 executes 1, 2, 3 (since flag[0] was false, the
//! next instruction P1 will execute is 5.) P0 then executes 1, 2, 6. P1
//! executes 5, 6, and now P0 and P1 are both in their critical sections."
//!
//! **Transcription.** `flag[0]`, `flag[1]` are `AtomicBool`s, `turn` an
//! `AtomicUsize`, all `SeqCst` (the algorithm assumes sequential
//! consistency; the bug is in the interleaving, not in the memory model).
//! Threads `P0` and `P1` run one pass of the loop each. The spin at line 3
//! calls `hint::spin_loop()`. `CriticalSection` is an occupancy check on an
//! `AtomicUsize` named `inside`: `fetch_add(1)` on entry (a result above 0
//! means the other process is inside too), `fetch_sub(1)` on exit. The
//! outcome is whether either process found the other inside.
//!
//! **The bug.** A stale check: P1's line 3 finds `flag[0] == false`; P0 then
//! sets `flag[0]` and enters (turn is still 0); P1 acts on its old finding,
//! sets `turn = 1` (line 5), passes line 2, and enters too.
//!
//! **Teacher marks** (written before the first run), on both backends:
//! - P1's `store turn <- 1` (line 5), kind `stale_check`: "acts on the check
//!   at step N (`load flag[0] -> false`), which P0 changed at step M
//!   (`store flag[0] <- true`)". One mark per backend. A mark on P0's
//!   `store flag[0] <- true` naming P1's check and act is lenient.
//!   (If the timeline shows the mirror image, P0 as the late one, the same
//!   mark with the roles swapped.)
//! - No mark on the spin iterations of line 3, on P0's `load turn -> 0` (it
//!   is right to enter by the protocol's own logic), on P1's re-check of
//!   `turn` at line 2 (it reads its own store), nor on the `inside`
//!   operations (they only witness the violation; an `inside` mark saying
//!   the other process is inside is true but not the cause).
//!
//! **Controls.** (1) Peterson's algorithm (1981), the textbook repair, on the
//! same `SeqCst` atomics: `flag[me] = true; turn = you; while (flag[you] &&
//! turn == you);`. (2) Another primitive: a test-and-set lock built on one
//! `AtomicBool::swap` (Acquire) and a Release store.

use racelab::explore::{FailureKind, Grade, Scenario};
use racelab::sync::atomic::Ordering::SeqCst;
use racelab::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use racelab::sync::{hint, thread, Arc};

use crate::common;

struct Shared {
    flag: [AtomicBool; 2],
    turn: AtomicUsize,
    inside: AtomicUsize,
    lock: AtomicBool,
}

fn shared() -> Arc<Shared> {
    Arc::new(Shared {
        flag: [
            AtomicBool::new(false).named("flag[0]"),
            AtomicBool::new(false).named("flag[1]"),
        ],
        turn: AtomicUsize::new(0).named("turn"),
        inside: AtomicUsize::new(0).named("inside"),
        lock: AtomicBool::new(false).named("lock"),
    })
}

/// CriticalSection(me): true if the other process was inside too.
fn critical_section(s: &Shared) -> bool {
    let others = s.inside.fetch_add(1, SeqCst);
    s.inside.fetch_sub(1, SeqCst);
    others > 0
}

fn hyman(s: &Shared, me: usize, you: usize) -> bool {
    s.flag[me].store(true, SeqCst); // 1
    while s.turn.load(SeqCst) != me {
        // 2
        while s.flag[you].load(SeqCst) {
            // 3
            hint::spin_loop(); // 4
        }
        s.turn.store(me, SeqCst); // 5
    }
    let both = critical_section(s); // 6
    s.flag[me].store(false, SeqCst); // 7
    both
}

fn peterson(s: &Shared, me: usize, you: usize) -> bool {
    s.flag[me].store(true, SeqCst);
    s.turn.store(you, SeqCst);
    while s.flag[you].load(SeqCst) && s.turn.load(SeqCst) == you {
        hint::spin_loop();
    }
    let both = critical_section(s);
    s.flag[me].store(false, SeqCst);
    both
}

fn test_and_set(s: &Shared, _me: usize, _you: usize) -> bool {
    while s.lock.swap(true, Ordering::Acquire) {
        hint::spin_loop();
    }
    let both = critical_section(s);
    s.lock.store(false, Ordering::Release);
    both
}

fn two_processes(protocol: fn(&Shared, usize, usize) -> bool) -> &'static str {
    let s = shared();
    let procs: Vec<_> = [(0usize, 1usize), (1, 0)]
        .into_iter()
        .map(|(me, you)| {
            let s = Arc::clone(&s);
            thread::Builder::new()
                .name(format!("P{me}"))
                .spawn(move || protocol(&s, me, you))
                .unwrap()
        })
        .collect();
    // Join every process before looking at what they saw.
    let saw: Vec<bool> = procs.into_iter().map(|p| p.join().unwrap()).collect();
    let both = saw.contains(&true);
    if both {
        "both processes in the critical section"
    } else {
        "one at a time"
    }
}

fn grade(o: &&'static str) -> Grade {
    if *o == "one at a time" {
        Grade::Acceptable
    } else {
        Grade::Forbidden
    }
}

fn racy() -> Scenario<&'static str> {
    Scenario::new("blind6a::hyman_mutual_exclusion", || two_processes(hyman)).expect("one at a time", grade)
}

fn fixed_peterson() -> Scenario<&'static str> {
    Scenario::new("blind6a::hyman_fixed_peterson", || two_processes(peterson)).expect("one at a time", grade)
}

fn fixed_test_and_set() -> Scenario<&'static str> {
    Scenario::new("blind6a::hyman_fixed_test_and_set", || two_processes(test_and_set)).expect("one at a time", grade)
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

/// Peterson's algorithm on `SeqCst` atomics is correct: with every access
/// `SeqCst`, C11 gives one total order that every load respects, so the
/// program behaves sequentially consistently. loom treats `SeqCst` accesses as
/// `AcqRel` (its README, "Unsupported features", tokio-rs/loom#180) and finds
/// a store-buffering execution no `SeqCst` machine can run; racelab reported it
/// as a forbidden outcome, with a stale-check mark. (Ignored in round 6a;
/// racelab has since run such loads and stores as read-modify-writes under
/// loom, and it holds.)
#[test]
fn fixed_peterson_holds_loom() {
    common::explore(&fixed_peterson(), &common::loom()).assert_holds();
}

#[test]
fn fixed_peterson_holds_shuttle() {
    common::explore(&fixed_peterson(), &common::shuttle()).assert_holds();
}

#[test]
fn fixed_test_and_set_holds() {
    common::explore(&fixed_test_and_set(), &common::loom()).assert_holds();
    common::explore(&fixed_test_and_set(), &common::shuttle()).assert_holds();
}
