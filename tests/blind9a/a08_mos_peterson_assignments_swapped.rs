//! Tanenbaum & Bos, *Modern Operating Systems* (4th ed.), §2.3.3 "Mutual
//! Exclusion with Busy Waiting", Fig. 2-24 "Peterson's solution for
//! achieving mutual exclusion", in Tanenbaum's variant (the last process to
//! write `turn` waits):
//!
//! ```text
//! void enter_region(int process) {
//!     int other = 1 - process;
//!     interested[process] = TRUE;   /* show that you are interested */
//!     turn = process;               /* set flag */
//!     while (turn == process && interested[other] == TRUE) /* null */ ;
//! }
//! void leave_region(int process) { interested[process] = FALSE; }
//! ```
//!
//! The puzzle is the classic exam variant with the two assignments swapped
//! (`turn = process;` before `interested[process] = TRUE;`), asked of this
//! very figure (e.g. "what if the two statements in enter_region were
//! interchanged?"; a discussion of this figure's ordering:
//! <https://huggingface.co/datasets/nvidia/Nemotron-CC-Math-v1>, "Peterson's
//! Algorithm | Context Switch after turn=process"). Swapped, mutual
//! exclusion fails: P0 sets `turn = 0` and is preempted; P1 sets `turn =
//! 1`, `interested[1] = TRUE`, tests `interested[0]`, finds FALSE and
//! enters; P0 sets `interested[0] = TRUE`, tests `turn == 0`, finds 1 and
//! enters too.
//!
//! Transcription: `turn`, `interested0`, `interested1` are `SeqCst`
//! atomics (the book assumes sequential consistency; no weak memory here);
//! the critical region increments a shared counter by a load and a store.
//! Each process enters once; the counter must end at 2.
//!
//! # Teacher marks (written before the first run)
//! For the execution above (with the two increments overlapping inside the
//! critical region):
//! - P1's `load interested0 -> false` (its test, on which it enters):
//!   `stale_check`: "acts on the check of step N: P0's `store interested0 <-
//!   true` comes after it, and P0 then enters on `turn` too" (P0 announced
//!   its interest too late, after setting turn). A mark on P0's late `store
//!   interested0 <- true` naming P1's test is lenient; `order_violation` on
//!   the same step with that text is accepted as strict.
//! - the later of the two `store counter` steps: `lost_update`:
//!   "overwrites step N (the other process's update is lost)".
//!
//! No mark on the busy-wait loads that spin (polling), on `store turn` by
//! themselves, on `leave_region`, on spawns or joins.
//! Expected verdict: `forbidden outcome` (counter = 1) on both backends.

use racelab::explore::{FailureKind, Scenario};
use racelab::sync::atomic::{AtomicBool, AtomicU32, Ordering};
use racelab::sync::{hint, mpsc, thread, Arc};

use super::common;

struct Shared {
    turn: AtomicU32,
    interested: [AtomicBool; 2],
    counter: AtomicU32,
}

fn enter_region(s: &Shared, process: usize, swapped: bool) {
    let other = 1 - process;
    if swapped {
        s.turn.store(process as u32, Ordering::SeqCst);
        s.interested[process].store(true, Ordering::SeqCst);
    } else {
        s.interested[process].store(true, Ordering::SeqCst);
        s.turn.store(process as u32, Ordering::SeqCst);
    }
    while s.turn.load(Ordering::SeqCst) == process as u32 && s.interested[other].load(Ordering::SeqCst) {
        hint::spin_loop();
    }
}

fn leave_region(s: &Shared, process: usize) {
    s.interested[process].store(false, Ordering::SeqCst);
}

fn program(name: &str, swapped: bool) -> Scenario<u32> {
    Scenario::new(name, move || {
        let s = Arc::new(Shared {
            turn: AtomicU32::new(0).named("turn"),
            interested: [
                AtomicBool::new(false).named("interested0"),
                AtomicBool::new(false).named("interested1"),
            ],
            counter: AtomicU32::new(0).named("counter"),
        });
        let handles: Vec<_> = (0..2)
            .map(|process| {
                let s = Arc::clone(&s);
                thread::Builder::new()
                    .name(format!("P{process}"))
                    .spawn(move || {
                        enter_region(&s, process, swapped);
                        let c = s.counter.load(Ordering::SeqCst); // critical region
                        s.counter.store(c + 1, Ordering::SeqCst);
                        leave_region(&s, process);
                    })
                    .unwrap()
            })
            .collect();
        for h in handles {
            h.join().unwrap();
        }
        s.counter.load(Ordering::SeqCst)
    })
    .expect_only(2)
}

fn racy() -> Scenario<u32> {
    program("blind9a::mos_peterson_swapped", true)
}

/// Control 1: Fig. 2-24 as printed (interest first, then turn).
fn fixed_as_printed() -> Scenario<u32> {
    program("blind9a::mos_peterson", false)
}

/// Control 2: no shared counter at all: each process sends its increment
/// over a channel to `main`, which alone adds them (message passing, MOS
/// §2.3.8).
fn fixed_messages() -> Scenario<u32> {
    Scenario::new("blind9a::mos_peterson_messages", || {
        let (tx, rx) = mpsc::channel_named::<u32>("increments");
        let handles: Vec<_> = (0..2)
            .map(|process| {
                let tx = tx.clone();
                thread::Builder::new()
                    .name(format!("P{process}"))
                    .spawn(move || tx.send(1).unwrap())
                    .unwrap()
            })
            .collect();
        drop(tx);
        let total = rx.iter().sum();
        for h in handles {
            h.join().unwrap();
        }
        total
    })
    .expect_only(2)
}

#[test]
fn racy_loom() {
    let r = common::explore(&racy(), &common::loom());
    r.assert_racy(Some(FailureKind::ForbiddenOutcome));
}

#[test]
fn racy_shuttle() {
    let r = common::explore(&racy(), &common::shuttle());
    r.assert_racy(Some(FailureKind::ForbiddenOutcome));
}

#[test]
fn fixes_hold() {
    for s in [fixed_as_printed(), fixed_messages()] {
        common::explore(&s, &common::loom()).assert_holds();
        common::explore(&s, &common::shuttle()).assert_holds();
    }
}
