//! a01: the Bakery lock without its doorway (Lamport's `choosing` flag).
//!
//! **Source.** Herlihy & Shavit, *The Art of Multiprocessor Programming*
//! (1st ed., 2008), §2.6 "Lamport's Bakery Algorithm", Fig. 2.9: a thread
//! raises `flag[i]` (the doorway), takes `label[i] = max(labels) + 1`, then
//! waits while some `k` has `flag[k] && (label[k], k) << (label[i], i)`.
//! The broken variant drops the doorway, as in the "Bogus Bakery Algorithm"
//! of Matt Bishop's course notes
//! (<http://nob.cs.ucdavis.edu/classes/ecs150-1999-02/Txt/sync-bakery.txt>):
//! Lamport's original with `number[i]` reset to 0 on exit and without the
//! `while choosing[j]` wait.
//!
//! **Program.** Two threads, alice (id 0) and bob (id 1), each take the
//! lock once; the critical section counts who is inside (`in_cs`).
//!
//! **Bug.** Taking a ticket is a read (the other's label) and a later
//! write (one's own). alice reads `label_b = 0` and is about to publish
//! `label_a = 1`; bob meanwhile takes ticket 1, reads `label_a = 0` ("alice
//! is not interested") and enters. alice then publishes ticket 1, finds
//! bob's ticket 1 too, wins the tie on her smaller id, and enters as well.
//! With the doorway, bob would see `choosing_a` (or H&S's `flag[a]`) and
//! wait for alice's ticket.
//!
//! **Teacher marks** (the expected bad execution, 2 preemptions: alice
//! reads bob's label, bob takes his ticket and enters, alice publishes hers
//! and enters):
//! 1. bob's entry check `load label_a -> 0` (the last read of his wait
//!    loop before `fetch_add in_cs`): **stale_check**. "bob enters on this
//!    check, but alice was choosing: she had read the labels already and
//!    writes `label_a <- 1` right after it; with the tie broken in her
//!    favour she enters too."
//! 2. alice's `store label_a <- 1`: **stale_check** (or atomicity_violation:
//!    a ticket computed from a read that bob's `store label_b <- 1` made
//!    stale before it was published). "alice's ticket is computed from her
//!    `load label_b -> 0`, but bob took ticket 1 in between: both hold 1."
//!
//! No mark belongs on the spin iterations as such, on the unlocks
//! (`store label <- 0`), or on `main`'s spawns and joins. A mark on the
//! `fetch_add in_cs` detector saying both are inside is true (not
//! spurious) but is the symptom, not the step a teacher points at.
//!
//! **Controls.** (1) H&S's Bakery with the doorway flag (Fig. 2.9). (2) A
//! different primitive: a `Semaphore` with one permit around the same
//! critical section.

use crate::common;
use racelab::explore::{FailureKind, Grade, Scenario};
use racelab::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering::SeqCst};
use racelab::sync::{hint, thread, Arc, Semaphore};

#[derive(Clone, Copy, PartialEq)]
enum Variant {
    /// Lamport's numbers, no doorway: the bug.
    NoDoorway,
    /// H&S Fig. 2.9: flag (doorway), label, wait on flag && smaller label.
    HsBakery,
}

struct Bakery {
    flag: [AtomicBool; 2],
    label: [AtomicU64; 2],
    in_cs: AtomicUsize,
}

impl Bakery {
    fn new() -> Self {
        Bakery {
            flag: [
                AtomicBool::new(false).named("flag_a"),
                AtomicBool::new(false).named("flag_b"),
            ],
            label: [AtomicU64::new(0).named("label_a"), AtomicU64::new(0).named("label_b")],
            in_cs: AtomicUsize::new(0).named("in_cs"),
        }
    }

    fn lock(&self, i: usize, variant: Variant) {
        let j = 1 - i;
        if variant == Variant::HsBakery {
            self.flag[i].store(true, SeqCst);
        }
        // label[i] = max(label[0], label[1]) + 1; its own label is 0 here.
        let mine = self.label[j].load(SeqCst) + 1;
        self.label[i].store(mine, SeqCst);
        loop {
            let theirs = self.label[j].load(SeqCst);
            let interested = match variant {
                Variant::NoDoorway => theirs != 0,
                Variant::HsBakery => self.flag[j].load(SeqCst),
            };
            let ahead_of_me = (theirs, j) < (mine, i);
            if !(interested && ahead_of_me) {
                break;
            }
            hint::spin_loop();
        }
    }

    fn unlock(&self, i: usize, variant: Variant) {
        match variant {
            Variant::NoDoorway => self.label[i].store(0, SeqCst),
            Variant::HsBakery => self.flag[i].store(false, SeqCst),
        }
    }

    /// The critical section: returns whether someone else was inside.
    fn critical_section(&self) -> bool {
        let others = self.in_cs.fetch_add(1, SeqCst);
        self.in_cs.fetch_sub(1, SeqCst);
        others != 0
    }
}

fn outcome(overlap: bool) -> &'static str {
    if overlap {
        "both in the critical section"
    } else {
        "one at a time"
    }
}

fn graded(name: &str, body: impl Fn() -> &'static str + Send + Sync + 'static) -> Scenario<&'static str> {
    Scenario::new(name, body).expect("one at a time", |o: &&'static str| {
        if *o == "one at a time" {
            Grade::Acceptable
        } else {
            Grade::Forbidden
        }
    })
}

fn bakery(variant: Variant) -> Scenario<&'static str> {
    let name = match variant {
        Variant::NoDoorway => "a01::bakery_no_doorway",
        Variant::HsBakery => "a01::bakery_hs_flag",
    };
    graded(name, move || {
        let lock = Arc::new(Bakery::new());
        let handles: Vec<_> = ["alice", "bob"]
            .into_iter()
            .enumerate()
            .map(|(i, who)| {
                let lock = Arc::clone(&lock);
                thread::Builder::new()
                    .name(who)
                    .spawn(move || {
                        lock.lock(i, variant);
                        let overlap = lock.critical_section();
                        lock.unlock(i, variant);
                        overlap
                    })
                    .unwrap()
            })
            .collect();
        let overlap = handles.into_iter().fold(false, |acc, h| h.join().unwrap() | acc);
        outcome(overlap)
    })
}

fn semaphore_lock() -> Scenario<&'static str> {
    graded("a01::semaphore_lock", || {
        let sem = Arc::new(Semaphore::new(1).named("mutex_sem"));
        let in_cs = Arc::new(AtomicUsize::new(0).named("in_cs"));
        let handles: Vec<_> = ["alice", "bob"]
            .into_iter()
            .map(|who| {
                let (sem, in_cs) = (Arc::clone(&sem), Arc::clone(&in_cs));
                thread::Builder::new()
                    .name(who)
                    .spawn(move || {
                        sem.acquire();
                        let others = in_cs.fetch_add(1, SeqCst);
                        in_cs.fetch_sub(1, SeqCst);
                        sem.release();
                        others != 0
                    })
                    .unwrap()
            })
            .collect();
        let overlap = handles.into_iter().fold(false, |acc, h| h.join().unwrap() | acc);
        outcome(overlap)
    })
}

#[test]
fn loom_no_doorway_is_racy() {
    let report = common::explore(&bakery(Variant::NoDoorway), &common::loom());
    report.assert_racy(Some(FailureKind::ForbiddenOutcome));
}

#[test]
fn shuttle_no_doorway_is_racy() {
    let report = common::explore(&bakery(Variant::NoDoorway), &common::shuttle());
    report.assert_racy(Some(FailureKind::ForbiddenOutcome));
}

#[test]
fn loom_hs_bakery_holds() {
    common::explore(&bakery(Variant::HsBakery), &common::loom()).assert_holds();
}

#[test]
fn shuttle_hs_bakery_holds() {
    common::explore(&bakery(Variant::HsBakery), &common::shuttle()).assert_holds();
}

#[test]
fn loom_semaphore_holds() {
    common::explore(&semaphore_lock(), &common::loom()).assert_holds();
}

#[test]
fn shuttle_semaphore_holds() {
    common::explore(&semaphore_lock(), &common::shuttle()).assert_holds();
}
