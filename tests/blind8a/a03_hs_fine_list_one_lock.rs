//! a03: a fine-grained list whose `remove` holds only the predecessor's lock.
//!
//! **Source.** Herlihy & Shavit, *The Art of Multiprocessor Programming*
//! (1st ed.), §9.5 "Fine-Grained Synchronization", Fig. 9.8 ("The FineList
//! class: why remove() must acquire two locks"): "Thread A is about to
//! remove a, the first node in the list, while thread B is about to remove
//! b, where a points to b. Suppose A locks head, and B locks a. A then sets
//! head.next to b, while B sets a.next to c. The net effect is to remove
//! a, but not b." (the code of `FineList.remove`, Fig. 9.7, holds `pred`
//! and `curr` locked; the broken variant holds one lock at a time.)
//!
//! **Program.** A sorted list `head -> a(1) -> b(2) -> tail`, each node with
//! its own lock and a `next` field. alice removes 1, bob removes 2, each
//! by hand-over-hand traversal that keeps only `pred` locked when it
//! unlinks `curr` (`pred.next = curr.next`, reading `curr.next` without
//! `curr`'s lock). Afterwards `main` walks the list.
//!
//! **Bug.** alice, holding only `head`, unlinks a by reading `a.next`;
//! bob, holding `a`, unlinks b by writing `a.next`. Two unlinks through one
//! node, each under a different lock: one of them works on a stale view,
//! and b survives (`main` finds `[2]`).
//!
//! **Teacher marks.** Which side goes stale depends on the execution:
//! - E1 (1 preemption, the likely one): bob traverses to `pred = a`, `curr
//!   = b` (holding a's lock), alice's whole remove runs (`store head.next
//!   <- 2`), then bob `store a.next <- 3`. Mark bob's `store a.next <- 3`:
//!   **stale_check**. "bob unlinks b from a, which he reached through
//!   `load head.next -> 1`; alice unlinked a at step N (`store head.next <-
//!   2`) before his write: b stays reachable."
//! - E2 (2 preemptions): alice `load a.next -> 2`, bob `store a.next <- 3`,
//!   alice `store head.next <- 2`. Mark alice's `store head.next <- 2`:
//!   **stale_check** (or lost_update: bob's unlink of b is undone).
//!   "alice's write is computed from `a.next` read at step N, which bob
//!   changed at step M (under a's lock, which alice never took)."
//!
//! One mark per execution. No mark belongs on the lock/unlock steps, the
//! traversal reads that stay valid, or `main`'s final walk (its reads are
//! the detector).
//!
//! **Controls.** (1) H&S's `FineList.remove` (Fig. 9.7): `pred` and `curr`
//! both locked when unlinking. (2) A different primitive: H&S's
//! `CoarseList` (§9.4) as one `RwLock` over the whole list, the walk done
//! under its read lock.

use crate::common;
use racelab::explore::{FailureKind, Grade, Scenario};
use racelab::sync::atomic::{AtomicUsize, Ordering::SeqCst};
use racelab::sync::{thread, Arc, Mutex, RwLock};

const HEAD: usize = 0;
const TAIL: usize = 3;
/// The keys of head, a, b, tail (sentinels at both ends).
const KEYS: [u64; 4] = [0, 1, 2, u64::MAX];

struct FineList {
    next: [AtomicUsize; 4],
    lock: [Mutex<()>; 4],
}

impl FineList {
    fn new() -> Self {
        FineList {
            next: [
                AtomicUsize::new(1).named("head.next"),
                AtomicUsize::new(2).named("a.next"),
                AtomicUsize::new(3).named("b.next"),
                AtomicUsize::new(TAIL).named("tail.next"),
            ],
            lock: [
                Mutex::new(()).named("head.lock"),
                Mutex::new(()).named("a.lock"),
                Mutex::new(()).named("b.lock"),
                Mutex::new(()).named("tail.lock"),
            ],
        }
    }

    /// The broken variant: only `pred` is locked when `curr` is unlinked.
    fn remove_one_lock(&self, key: u64) -> bool {
        let mut pred_guard = self.lock[HEAD].lock().unwrap();
        let mut pred = HEAD;
        let mut curr = self.next[pred].load(SeqCst);
        while KEYS[curr] < key {
            let curr_guard = self.lock[curr].lock().unwrap();
            drop(pred_guard);
            pred_guard = curr_guard;
            pred = curr;
            curr = self.next[curr].load(SeqCst);
        }
        let found = KEYS[curr] == key;
        if found {
            let succ = self.next[curr].load(SeqCst);
            self.next[pred].store(succ, SeqCst);
        }
        drop(pred_guard);
        found
    }

    /// H&S Fig. 9.7: `pred` and `curr` locked hand over hand.
    fn remove_two_locks(&self, key: u64) -> bool {
        let mut pred_guard = self.lock[HEAD].lock().unwrap();
        let mut pred = HEAD;
        let mut curr = self.next[pred].load(SeqCst);
        let mut curr_guard = self.lock[curr].lock().unwrap();
        while KEYS[curr] < key {
            drop(pred_guard);
            pred_guard = curr_guard;
            pred = curr;
            curr = self.next[curr].load(SeqCst);
            curr_guard = self.lock[curr].lock().unwrap();
        }
        let found = KEYS[curr] == key;
        if found {
            let succ = self.next[curr].load(SeqCst);
            self.next[pred].store(succ, SeqCst);
        }
        drop(curr_guard);
        drop(pred_guard);
        found
    }

    fn keys(&self) -> Vec<u64> {
        let mut out = Vec::new();
        let mut at = self.next[HEAD].load(SeqCst);
        while at != TAIL {
            out.push(KEYS[at]);
            at = self.next[at].load(SeqCst);
        }
        out
    }
}

fn graded(name: &str, body: impl Fn() -> String + Send + Sync + 'static) -> Scenario<String> {
    Scenario::new(name, body).expect("[] (both removed)", |o: &String| {
        if o == "[]" {
            Grade::Acceptable
        } else {
            Grade::Forbidden
        }
    })
}

fn fine_list(two_locks: bool) -> Scenario<String> {
    let name = if two_locks {
        "a03::fine_list_two_locks"
    } else {
        "a03::fine_list_one_lock"
    };
    graded(name, move || {
        let list = Arc::new(FineList::new());
        let handles: Vec<_> = [("alice", 1), ("bob", 2)]
            .into_iter()
            .map(|(who, key)| {
                let list = Arc::clone(&list);
                thread::Builder::new()
                    .name(who)
                    .spawn(move || {
                        if two_locks {
                            list.remove_two_locks(key)
                        } else {
                            list.remove_one_lock(key)
                        }
                    })
                    .unwrap()
            })
            .collect();
        for h in handles {
            assert!(h.join().unwrap(), "each key was in the list");
        }
        format!("{:?}", list.keys())
    })
}

fn coarse_list() -> Scenario<String> {
    graded("a03::coarse_rwlock_list", || {
        let list = Arc::new(RwLock::new(vec![1u64, 2]).named("list"));
        let handles: Vec<_> = [("alice", 1u64), ("bob", 2)]
            .into_iter()
            .map(|(who, key)| {
                let list = Arc::clone(&list);
                thread::Builder::new()
                    .name(who)
                    .spawn(move || {
                        let mut items = list.write().unwrap();
                        match items.iter().position(|&k| k == key) {
                            Some(at) => {
                                items.remove(at);
                                true
                            }
                            None => false,
                        }
                    })
                    .unwrap()
            })
            .collect();
        for h in handles {
            assert!(h.join().unwrap(), "each key was in the list");
        }
        let left = list.read().unwrap().clone();
        format!("{left:?}")
    })
}

#[test]
fn loom_one_lock_loses_a_removal() {
    let report = common::explore(&fine_list(false), &common::loom());
    report.assert_racy(Some(FailureKind::ForbiddenOutcome));
}

#[test]
fn shuttle_one_lock_loses_a_removal() {
    let report = common::explore(&fine_list(false), &common::shuttle());
    report.assert_racy(Some(FailureKind::ForbiddenOutcome));
}

#[test]
fn loom_two_locks_hold() {
    common::explore(&fine_list(true), &common::loom()).assert_holds();
}

#[test]
fn shuttle_two_locks_hold() {
    common::explore(&fine_list(true), &common::shuttle()).assert_holds();
}

#[test]
fn loom_coarse_rwlock_holds() {
    common::explore(&coarse_list(), &common::loom()).assert_holds();
}

#[test]
fn shuttle_coarse_rwlock_holds() {
    common::explore(&coarse_list(), &common::shuttle()).assert_holds();
}
