//! # The lock-free stack that deletes the node it popped (Williams §7.2.2)
//!
//! **Source.** Anthony Williams, *C++ Concurrency in Action*, 2nd ed.,
//! listing 7.3 "A lock-free stack that leaks nodes" (`pop`: `node*
//! old_head=head.load(); while(old_head && !head.compare_exchange_weak(
//! old_head,old_head->next)); return old_head ? old_head->data : ...;`) and
//! §7.2.2 "Stopping those pesky leaks": the node cannot simply be deleted
//! once popped, because "if one thread deletes a node while another thread
//! still holds a pointer to it that it's just about to dereference" — the
//! other thread read `old_head` and is about to read `old_head->next`
//! (<https://github.com/anthonywilliams/ccia_code_samples/blob/master/listings/listing_7.3.cpp>).
//!
//! **Program.** A Treiber stack `head -> A(1) -> B(2)`, nodes in an arena
//! (a node is an `UnsafeCell`, "deleted" by overwriting it with `Freed`; a
//! read of a freed node panics, as a sanitizer would). `pop` is listing 7.3
//! plus the naive `delete old_head` after the successful compare-exchange.
//! alice and bob each pop once.
//!
//! **Bug.** Use after free: alice loads `head -> A`; bob pops A and deletes
//! it; alice reads `A->next` from a deleted node. Under loom the read of A
//! by alice and the delete by bob are unordered accesses to one cell, one a
//! write: a data race (in either order).
//!
//! **Teacher marks** (written before the first run). One per backend:
//! - loom (data race): on the later of the pair {alice's `read node A`, bob's
//!   `write node A` (the delete)}, kind `data_race`, "bob deletes node A
//!   while alice, who loaded head -> A at step M, reads it: nothing orders
//!   the two".
//! - shuttle (panic "use after free"): alice's `read node A` after bob's
//!   delete: kind `data_race`, `stale_check` (acts on her `load head -> A`,
//!   which bob's pop changed) or `order_violation`; sentence "alice reads
//!   node A after bob deleted it at step N (use after free): her head at
//!   step M was A, which bob popped since".
//!
//! No mark on the setup (main builds the stack before spawning), on bob's
//! successful pop as such, or on the joins.
//!
//! **Controls.** (1) Listing 7.3 as printed: never delete (the leak the book
//! accepts before §7.2.2's reclamation). (2) Listing 3.5's lock-based
//! `threadsafe_stack`: pop and delete under one mutex.

use racelab::explore::{FailureKind, Scenario};
use racelab::sync::atomic::{AtomicUsize, Ordering::SeqCst};
use racelab::sync::cell::UnsafeCell;
use racelab::sync::{thread, Arc, Mutex};

use crate::common;

const NIL: usize = usize::MAX;

#[derive(Clone, Copy)]
enum Slot {
    Live { data: u32, next: usize },
    Freed,
}

struct Stack {
    head: AtomicUsize,
    nodes: Vec<UnsafeCell<Slot>>,
    delete_popped: bool,
}

// SAFETY: the nodes are shared the way the C++ original shares them (raw
// pointers); the point of the puzzle is that loom checks each access.
unsafe impl Sync for Stack {}

impl Stack {
    /// `head -> A(1) -> B(2)`.
    fn new(delete_popped: bool) -> Self {
        Stack {
            head: AtomicUsize::new(0).named("head"),
            nodes: vec![
                UnsafeCell::new(Slot::Live { data: 1, next: 1 }).named("node A"),
                UnsafeCell::new(Slot::Live { data: 2, next: NIL }).named("node B"),
            ],
            delete_popped,
        }
    }

    fn read(&self, node: usize) -> (u32, usize) {
        // SAFETY: see `unsafe impl Sync`.
        match self.nodes[node].with(|p| unsafe { *p }) {
            Slot::Live { data, next } => (data, next),
            Slot::Freed => panic!("use after free: node {node} was deleted"),
        }
    }

    /// listing 7.3's pop (with the failure value reloaded into `old_head`,
    /// as `compare_exchange_weak` does), then `delete old_head`.
    fn pop(&self) -> Option<u32> {
        let mut old_head = self.head.load(SeqCst);
        while old_head != NIL {
            let (_, next) = self.read(old_head); // old_head->next
            match self.head.compare_exchange(old_head, next, SeqCst, SeqCst) {
                Ok(_) => break,
                Err(current) => old_head = current,
            }
        }
        if old_head == NIL {
            return None;
        }
        let (data, _) = self.read(old_head);
        if self.delete_popped {
            // SAFETY: see `unsafe impl Sync`; this is the bug.
            self.nodes[old_head].with_mut(|p| unsafe { *p = Slot::Freed });
        }
        Some(data)
    }
}

fn two_pops(name: &'static str, delete_popped: bool) -> Scenario<String> {
    Scenario::new(name, move || {
        let s = Arc::new(Stack::new(delete_popped));
        let popper = |who: &str| {
            let s = Arc::clone(&s);
            thread::Builder::new().name(who).spawn(move || s.pop()).unwrap()
        };
        let (a, b) = (popper("alice"), popper("bob"));
        let mut got: Vec<u32> = [a.join().unwrap(), b.join().unwrap()].into_iter().flatten().collect();
        got.sort();
        format!("popped {got:?}")
    })
    .expect_only("popped [1, 2]".to_string())
}

fn locked_stack() -> Scenario<String> {
    Scenario::new("cia::stack_locked_delete", || {
        // listing 3.5: the popped value leaves the vector (is deleted) under the lock.
        let s = Arc::new(Mutex::new(vec![2u32, 1]).named("stack"));
        let popper = |who: &str| {
            let s = Arc::clone(&s);
            thread::Builder::new()
                .name(who)
                .spawn(move || s.lock().unwrap().pop())
                .unwrap()
        };
        let (a, b) = (popper("alice"), popper("bob"));
        let mut got: Vec<u32> = [a.join().unwrap(), b.join().unwrap()].into_iter().flatten().collect();
        got.sort();
        format!("popped {got:?}")
    })
    .expect_only("popped [1, 2]".to_string())
}

#[test]
fn racy_under_loom() {
    let report = common::explore(&two_pops("cia::lockfree_stack_delete", true), &common::loom());
    report.assert_racy(Some(FailureKind::DataRace));
}

#[test]
fn racy_under_shuttle() {
    let report = common::explore(&two_pops("cia::lockfree_stack_delete", true), &common::shuttle());
    report.assert_racy(Some(FailureKind::Panic));
}

#[test]
fn leaking_stack_holds() {
    for explorer in [common::loom(), common::shuttle()] {
        common::explore(&two_pops("cia::lockfree_stack_leak", false), &explorer).assert_holds();
    }
}

#[test]
fn locked_stack_holds() {
    for explorer in [common::loom(), common::shuttle()] {
        common::explore(&locked_stack(), &explorer).assert_holds();
    }
}
