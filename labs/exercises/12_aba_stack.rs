//! Lab 12 — A, B, A: the stack that was fooled.
//!
//! Threads share memory (the lecture's section on `threading`), and the
//! fastest way to share a structure is without a lock. This is a lock-free
//! (Treiber) stack: pop reads the head and the node under it, then moves the
//! head down with one compare-exchange. Its nodes live in a fixed arena and
//! are named by number (1 is A, 2 is B, 0 is none), so a popped node can be
//! pushed again. The check starts with A on top of B; alice pops once while
//! bob pops twice and pushes his first node back (and, in a second run,
//! alice pushes A onto B while bob pops twice).
//!
//! Edit only this file. Check it with `racelab check 12`.

use racelab::sync::atomic::AtomicUsize;
use racelab::sync::atomic::Ordering::{AcqRel, Acquire, Relaxed, Release};

/// A stack of the nodes 1 (A) and 2 (B).
pub struct Stack {
    /// The top node (0: empty).
    head: AtomicUsize,
    /// `next[i]`: the node under node `i` (0: none); `next[0]` is unused.
    next: [AtomicUsize; 3],
}

impl Stack {
    /// An empty stack.
    pub fn new() -> Self {
        let next = ["unused", "A.next", "B.next"].map(|name| AtomicUsize::new(0).named(name));
        Stack {
            head: AtomicUsize::new(0).named("head"),
            next,
        }
    }

    /// Pushes `node` (1 or 2, not on the stack now).
    pub fn push(&self, node: usize) {
        loop {
            let head = self.head.load(Relaxed);
            self.next[node].store(head, Relaxed);
            if self.head.compare_exchange(head, node, Release, Relaxed).is_ok() {
                return;
            }
        }
    }

    /// Pops the top node.
    pub fn pop(&self) -> Option<usize> {
        loop {
            let head = self.head.load(Acquire);
            if head == 0 {
                return None;
            }
            let next = self.next[head].load(Relaxed);
            // TODO: compare_exchange compares values only: it succeeds if the
            // head holds `head` now, even if other threads popped that node,
            // and more, then pushed it back since the load above. `next` is
            // stale then, and the head moves to a node someone else holds.
            // (`push` moves the head with a compare-exchange too.)
            if self.head.compare_exchange(head, next, AcqRel, Acquire).is_ok() {
                return Some(head);
            }
        }
    }

    /// The nodes from the top (at most 4: a broken stack may loop).
    pub fn contents(&self) -> Vec<usize> {
        let mut nodes = Vec::new();
        let mut at = self.head.load(Acquire);
        while at != 0 && nodes.len() < 4 {
            nodes.push(at);
            at = self.next[at].load(Acquire);
        }
        nodes
    }
}
