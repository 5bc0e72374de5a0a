//! a02: a CLH queue lock whose `unlock` keeps the thread's own node.
//!
//! **Source.** Herlihy & Shavit, *The Art of Multiprocessor Programming*
//! (1st ed.), §7.5.2 "A Queue Lock" (CLH), Figs. 7.9-7.10: `lock()` sets
//! `myNode.locked = true`, swaps `myNode` into `tail`, and spins on the
//! predecessor's `locked`; `unlock()` clears `myNode.locked` and then
//! **reuses the predecessor's node** (`myNode.set(myPred.get())`), because
//! its own node may still be read by its successor. The code as students
//! copy it: `KarlaDSJ/Concurrente`, `Tarea5/CLHLock.java` on GitHub. The
//! broken variant leaves out that last line, so a thread that locks again
//! reuses the node its successor is spinning on.
//!
//! **Program.** alice takes the lock twice in a row, bob once; three nodes
//! (`node0`, the initial tail, `node_a`, `node_b`), `tail` holds an index.
//!
//! **Bug.** alice's second `lock()` re-arms `node_a` (`node_a.locked <-
//! true`) although that node may still be in the queue. Two ways it
//! bites, both found while writing this (before any run):
//! - E1, no preemption at all: nobody came after alice, so `tail` still
//!   holds `node_a`; her second `swap tail` returns `node_a` itself and she
//!   spins on her own node forever (bob later queues behind her and spins
//!   too).
//! - E2: bob enqueues behind alice (`swap tail -> a`) and spins on
//!   `node_a.locked`; alice unlocks (`node_a.locked <- false`) and, before
//!   bob reads it, locks again with the same node (`<- true`), enqueuing
//!   behind bob (`swap tail -> b`): bob spins on `node_a`, alice on `node_b`.
//!
//! Either way nobody can go on: a livelock of spinners, which the models
//! report as too many steps.
//!
//! **Teacher marks.** racelab should show the execution with the fewest
//! preemptions, E1; for it:
//! 1. alice's second `swap tail` (it returns `node_a`, her own node) or
//!    her first spin read after it, `load node_a.locked -> true`:
//!    **deadlock** (a thread waiting for itself). "alice's second lock
//!    enqueues behind her own node_a, still the tail since her first lock:
//!    she spins on the node she just re-armed."
//! 2. alice's second `store node_a.locked <- true`: **lost_wakeup** (a
//!    teacher also accepts lost_update: it overwrites her release `store
//!    node_a.locked <- false` before anyone read it). "alice re-arms
//!    node_a, still in the queue: the release that was to let the next
//!    waiter (here herself) in is lost."
//!
//! For E2, if shown instead: (1) alice's second `store node_a.locked <-
//! true` as above (bob, spinning on node_a since his `swap tail`, never saw
//! the `false`): lost_wakeup; (2) the cycle, alice's
//! `load node_b.locked -> true` after her `swap tail -> b` while bob loops
//! on `load node_a.locked -> true`: deadlock.
//!
//! No mark belongs on alice's first lock and critical section, on bob's
//! `store node_b.locked <- true`, or on the repeated spin reads beyond the
//! one cited.
//!
//! **Controls.** (1) H&S's CLH: `unlock` recycles the predecessor's node.
//! (2) A different lock: H&S's test-and-test-and-set lock (§7.3, Fig. 7.3)
//! on one `AtomicBool`.

use crate::common;
use racelab::explore::{FailureKind, Grade, Scenario};
use racelab::sync::atomic::{AtomicBool, AtomicUsize, Ordering::SeqCst};
use racelab::sync::{hint, thread, Arc};

const NODE0: usize = 0;
const NODE_A: usize = 1;
const NODE_B: usize = 2;

struct Clh {
    tail: AtomicUsize,
    locked: [AtomicBool; 3],
    in_cs: AtomicUsize,
}

/// A thread's view of the lock: `my_node` and `my_pred` (H&S's thread-locals).
struct Me {
    my_node: usize,
    my_pred: usize,
}

impl Clh {
    fn new() -> Self {
        Clh {
            tail: AtomicUsize::new(NODE0).named("tail"),
            locked: [
                AtomicBool::new(false).named("node0.locked"),
                AtomicBool::new(false).named("node_a.locked"),
                AtomicBool::new(false).named("node_b.locked"),
            ],
            in_cs: AtomicUsize::new(0).named("in_cs"),
        }
    }

    fn lock(&self, me: &mut Me) {
        self.locked[me.my_node].store(true, SeqCst);
        let pred = self.tail.swap(me.my_node, SeqCst);
        me.my_pred = pred;
        while self.locked[pred].load(SeqCst) {
            hint::spin_loop();
        }
    }

    fn unlock(&self, me: &mut Me, recycle_pred: bool) {
        self.locked[me.my_node].store(false, SeqCst);
        if recycle_pred {
            me.my_node = me.my_pred;
        }
    }

    fn critical_section(&self) -> bool {
        let others = self.in_cs.fetch_add(1, SeqCst);
        self.in_cs.fetch_sub(1, SeqCst);
        others != 0
    }
}

fn clh(recycle_pred: bool) -> Scenario<&'static str> {
    let name = if recycle_pred {
        "a02::clh_recycles_pred"
    } else {
        "a02::clh_reuses_own_node"
    };
    Scenario::new(name, move || {
        let lock = Arc::new(Clh::new());
        let l = Arc::clone(&lock);
        let alice = thread::Builder::new()
            .name("alice")
            .spawn(move || {
                let mut me = Me {
                    my_node: NODE_A,
                    my_pred: NODE0,
                };
                let mut overlap = false;
                for _ in 0..2 {
                    l.lock(&mut me);
                    overlap |= l.critical_section();
                    l.unlock(&mut me, recycle_pred);
                }
                overlap
            })
            .unwrap();
        let l = Arc::clone(&lock);
        let bob = thread::Builder::new()
            .name("bob")
            .spawn(move || {
                let mut me = Me {
                    my_node: NODE_B,
                    my_pred: NODE0,
                };
                l.lock(&mut me);
                let overlap = l.critical_section();
                l.unlock(&mut me, recycle_pred);
                overlap
            })
            .unwrap();
        let overlap = alice.join().unwrap() | bob.join().unwrap();
        if overlap {
            "both in the critical section"
        } else {
            "three critical sections, one at a time"
        }
    })
    .expect("three critical sections, one at a time", |o: &&'static str| {
        if *o == "three critical sections, one at a time" {
            Grade::Acceptable
        } else {
            Grade::Forbidden
        }
    })
}

fn ttas() -> Scenario<&'static str> {
    Scenario::new("a02::ttas_lock", || {
        let state = Arc::new(AtomicBool::new(false).named("state"));
        let in_cs = Arc::new(AtomicUsize::new(0).named("in_cs"));
        let run = |state: Arc<AtomicBool>, in_cs: Arc<AtomicUsize>, times: usize| {
            move || {
                let mut overlap = false;
                for _ in 0..times {
                    loop {
                        while state.load(SeqCst) {
                            hint::spin_loop();
                        }
                        if !state.swap(true, SeqCst) {
                            break;
                        }
                    }
                    overlap |= in_cs.fetch_add(1, SeqCst) != 0;
                    in_cs.fetch_sub(1, SeqCst);
                    state.store(false, SeqCst);
                }
                overlap
            }
        };
        let alice = thread::Builder::new()
            .name("alice")
            .spawn(run(Arc::clone(&state), Arc::clone(&in_cs), 2))
            .unwrap();
        let bob = thread::Builder::new()
            .name("bob")
            .spawn(run(Arc::clone(&state), Arc::clone(&in_cs), 1))
            .unwrap();
        if alice.join().unwrap() | bob.join().unwrap() {
            "both in the critical section"
        } else {
            "three critical sections, one at a time"
        }
    })
    .expect("three critical sections, one at a time", |o: &&'static str| {
        if *o == "three critical sections, one at a time" {
            Grade::Acceptable
        } else {
            Grade::Forbidden
        }
    })
}

#[test]
fn loom_reuse_own_node_gets_stuck() {
    let report = common::explore(&clh(false), &common::loom());
    report.assert_racy(Some(FailureKind::StepLimit));
}

#[test]
fn shuttle_reuse_own_node_gets_stuck() {
    let report = common::explore(&clh(false), &common::shuttle());
    report.assert_racy(Some(FailureKind::StepLimit));
}

#[test]
fn loom_recycle_pred_holds() {
    common::explore(&clh(true), &common::loom()).assert_holds();
}

#[test]
fn shuttle_recycle_pred_holds() {
    common::explore(&clh(true), &common::shuttle()).assert_holds();
}

#[test]
fn loom_ttas_holds() {
    common::explore(&ttas(), &common::loom()).assert_holds();
}

#[test]
fn shuttle_ttas_holds() {
    common::explore(&ttas(), &common::shuttle()).assert_holds();
}
