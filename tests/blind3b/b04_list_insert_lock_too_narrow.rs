//! # b04: a concurrent linked list whose insert locks too little
//!
//! Source: Arpaci-Dusseau, *Operating Systems: Three Easy Pieces*, ch. 29
//! "Lock-based Concurrent Data Structures", §29.2 "Concurrent Linked Lists"
//! (Figure 29.8, the insert rewritten so the lock covers only the critical
//! section around the shared list).
//!
//! The bug: the rewrite moves too much out of the lock. `new->next =
//! L->head` (a read of `head`) runs before `pthread_mutex_lock`, and only
//! `L->head = new` runs under the lock. Two inserts both read the empty head,
//! both link their node to nothing, and the second `head = new` replaces the
//! first: one node is lost. `head` is a plain pointer in C; here an
//! `AtomicUsize` (node index, 0 = NULL) used `SeqCst`, so the only bug is
//! the interleaving.
//!
//! ## Teacher marks (written before looking at racelab's marks)
//!
//! Say `t1` stores `head` first (the same with the names swapped):
//! 1. `t2` `store head <- 2` (under `lock`): **lost update**, "overwrites
//!    step N (t1's update is lost)", N being t1's `store head <- 1`; t2's
//!    value was computed from its `load head -> 0`, made before t1's store.
//!    Lenient: the mark on t2's stale `load head -> 0`, or on t1's
//!    overwritten store, with that explanation.
//!
//! No mark belongs on the `node*.next` stores (each written by its owner
//! before publication) or on `lock`.

use racelab::explore::{Explorer, Scenario};
use racelab::sync::atomic::{AtomicUsize, Ordering::SeqCst};
use racelab::sync::{thread, Arc, Mutex};

use crate::common;

const NULL: usize = 0;

struct List {
    head: AtomicUsize,
    lock: Mutex<()>,
    /// `next[i]` is node i's next pointer (node 0 is NULL, unused).
    next: [AtomicUsize; 3],
}

fn insert(list: &List, node: usize, fixed: bool) {
    if fixed {
        let _g = list.lock.lock().unwrap();
        list.next[node].store(list.head.load(SeqCst), SeqCst);
        list.head.store(node, SeqCst);
    } else {
        // new->next = L->head;   (outside the lock: the bug)
        list.next[node].store(list.head.load(SeqCst), SeqCst);
        let _g = list.lock.lock().unwrap();
        // L->head = new;
        list.head.store(node, SeqCst);
    }
}

fn scenario(fixed: bool) -> Scenario<usize> {
    let name = if fixed { "b04::fixed" } else { "b04::lock_too_narrow" };
    Scenario::new(name, move || {
        let list = Arc::new(List {
            head: AtomicUsize::new(NULL).named("head"),
            lock: Mutex::new(()).named("lock"),
            next: [
                AtomicUsize::new(NULL).named("node0.next"),
                AtomicUsize::new(NULL).named("node1.next"),
                AtomicUsize::new(NULL).named("node2.next"),
            ],
        });
        let handles: Vec<_> = [("t1", 1), ("t2", 2)]
            .into_iter()
            .map(|(name, node)| {
                let l = Arc::clone(&list);
                thread::Builder::new()
                    .name(name)
                    .spawn(move || insert(&l, node, fixed))
                    .unwrap()
            })
            .collect();
        for h in handles {
            h.join().unwrap();
        }
        // The list's length.
        let mut len = 0;
        let mut at = list.head.load(SeqCst);
        while at != NULL {
            len += 1;
            at = list.next[at].load(SeqCst);
        }
        len
    })
    .expect_only(2)
}

#[test]
fn b04_loom_finds_the_lost_node() {
    common::racy(&scenario(false), &Explorer::loom());
}

#[test]
fn b04_shuttle_finds_the_lost_node() {
    common::racy(&scenario(false), &Explorer::shuttle());
}

#[test]
fn b04_fixed_holds_under_loom() {
    common::holds(&scenario(true), &Explorer::loom());
}

#[test]
fn b04_fixed_holds_under_shuttle() {
    common::holds(&scenario(true), &Explorer::shuttle());
}
