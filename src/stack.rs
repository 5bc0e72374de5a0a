//! A lock-free (Treiber) stack, its ABA problem, and two fixes.
//!
//! Lecture section *threading*: threads share memory, and the fastest way
//! to share a structure is without a lock. A Treiber stack (R. K. Treiber,
//! *Systems Programming: Coping with Parallelism*, IBM RJ 5118, 1986) keeps
//! a `head`; pop reads `head` and `head.next`, then compare-exchanges
//! `head` from the one to the other. The nodes live in a fixed arena and
//! are named by index, so nothing is ever freed (no reclamation problem)
//! and indices are reused — which is exactly what ABA needs:
//!
//! alice reads head = A and A.next = B, and stops. bob pops A, pops B, and
//! pushes A back (A.next is now empty). alice's compare-exchange sees head
//! = A — "unchanged" — and sets head = B: a node bob holds is back on the
//! stack. The value was A, then B (then nothing), then A again; the
//! compare-exchange only compares values.
//!
//! Variants: [`Naive`] (the ABA bug); [`Tagged`] (head packs a version
//! tag with the index in one `AtomicU64`, bumped by every successful
//! compare-exchange, so A-with-tag-3 is not A-with-tag-1); [`Locked`] (a
//! `Mutex<Vec<_>>`, the baseline).
//!
//! Cost: the tag costs nothing but the bits (32 here: wraps after 4 billion
//! operations on one head — the usual engineering bet). The mutex
//! serialises every push and pop (`benches/locks.rs`, group `stack`).

use std::fmt;

use crate::explore::{Grade, Scenario};
use crate::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use crate::sync::{thread, Arc, Mutex};

/// Items are node numbers `1..=NODES`; 0 means "none".
pub const NODES: usize = 2;

/// A stack of node numbers.
pub trait Stack: Send + Sync + 'static {
    /// A stack holding `items`, the last on top, on the current backend.
    fn with_items(items: &[usize]) -> Self
    where
        Self: Sized;
    /// Pushes node `item`.
    fn push(&self, item: usize);
    /// Pops the top node.
    fn pop(&self) -> Option<usize>;
    /// The items from the top, at most `limit` (a cycle would never end).
    fn contents(&self, limit: usize) -> Vec<usize>;
}

/// The arena: node `i`'s `next` (0 = end of the stack).
#[derive(Debug)]
struct Arena {
    next: Vec<AtomicUsize>,
}

impl Arena {
    fn new() -> Self {
        const NAMES: [&str; 3] = ["unused", "A.next", "B.next"];
        Arena {
            next: (0..=NODES).map(|i| AtomicUsize::new(0).named(NAMES[i])).collect(),
        }
    }

    fn walk(&self, mut at: usize, limit: usize) -> Vec<usize> {
        let mut items = Vec::new();
        while at != 0 && items.len() < limit {
            items.push(at);
            at = self.next[at].load(Ordering::Acquire);
        }
        items
    }
}

/// Compare-exchange on the bare index: ABA-prone.
#[derive(Debug)]
pub struct Naive {
    head: AtomicUsize,
    nodes: Arena,
}

impl Stack for Naive {
    fn with_items(items: &[usize]) -> Self {
        let s = Naive {
            head: AtomicUsize::new(0).named("head"),
            nodes: Arena::new(),
        };
        for &i in items {
            s.push(i);
        }
        s
    }

    fn push(&self, item: usize) {
        loop {
            let head = self.head.load(Ordering::Relaxed);
            self.nodes.next[item].store(head, Ordering::Relaxed);
            if self
                .head
                .compare_exchange(head, item, Ordering::Release, Ordering::Relaxed)
                .is_ok()
            {
                return;
            }
        }
    }

    fn pop(&self) -> Option<usize> {
        loop {
            let head = self.head.load(Ordering::Acquire);
            if head == 0 {
                return None;
            }
            let next = self.nodes.next[head].load(Ordering::Relaxed);
            // Succeeds if head is `head` again — even if it left and came back.
            if self
                .head
                .compare_exchange(head, next, Ordering::AcqRel, Ordering::Acquire)
                .is_ok()
            {
                return Some(head);
            }
        }
    }

    fn contents(&self, limit: usize) -> Vec<usize> {
        self.nodes.walk(self.head.load(Ordering::Acquire), limit)
    }
}

/// Compare-exchange on (tag, index): every success bumps the tag.
#[derive(Debug)]
pub struct Tagged {
    head: AtomicU64,
    nodes: Arena,
}

fn pack(tag: u64, index: usize) -> u64 {
    (tag << 32) | index as u64
}

fn unpack(word: u64) -> (u64, usize) {
    (word >> 32, (word & 0xffff_ffff) as usize)
}

impl Stack for Tagged {
    fn with_items(items: &[usize]) -> Self {
        let s = Tagged {
            head: AtomicU64::new(0).named("head"),
            nodes: Arena::new(),
        };
        for &i in items {
            s.push(i);
        }
        s
    }

    fn push(&self, item: usize) {
        loop {
            let word = self.head.load(Ordering::Relaxed);
            let (tag, head) = unpack(word);
            self.nodes.next[item].store(head, Ordering::Relaxed);
            if self
                .head
                .compare_exchange(word, pack(tag + 1, item), Ordering::Release, Ordering::Relaxed)
                .is_ok()
            {
                return;
            }
        }
    }

    fn pop(&self) -> Option<usize> {
        loop {
            let word = self.head.load(Ordering::Acquire);
            let (tag, head) = unpack(word);
            if head == 0 {
                return None;
            }
            let next = self.nodes.next[head].load(Ordering::Relaxed);
            // A head that left and came back has a new tag: this fails.
            if self
                .head
                .compare_exchange(word, pack(tag + 1, next), Ordering::AcqRel, Ordering::Acquire)
                .is_ok()
            {
                return Some(head);
            }
        }
    }

    fn contents(&self, limit: usize) -> Vec<usize> {
        self.nodes.walk(unpack(self.head.load(Ordering::Acquire)).1, limit)
    }
}

/// A `Mutex<Vec<_>>`: the baseline.
#[derive(Debug)]
pub struct Locked {
    items: Mutex<Vec<usize>>,
}

impl Stack for Locked {
    fn with_items(items: &[usize]) -> Self {
        Locked {
            items: Mutex::new(items.to_vec()).named("stack").traced(),
        }
    }

    fn push(&self, item: usize) {
        self.items.lock().unwrap_or_else(|p| p.into_inner()).push(item);
    }

    fn pop(&self) -> Option<usize> {
        self.items.lock().unwrap_or_else(|p| p.into_inner()).pop()
    }

    fn contents(&self, limit: usize) -> Vec<usize> {
        let items = self.items.lock().unwrap_or_else(|p| p.into_inner());
        items.iter().rev().take(limit).copied().collect()
    }
}

/// Where every node ended up.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Holdings {
    /// What alice popped.
    pub alice: Option<usize>,
    /// What bob still holds (his second pop).
    pub bob: Option<usize>,
    /// The stack from the top.
    pub stack: Vec<usize>,
}

fn node(i: usize) -> char {
    (b'A' + (i as u8).saturating_sub(1)) as char
}

impl Holdings {
    /// Every node is in exactly one place.
    pub fn conserved(&self) -> bool {
        let mut all: Vec<usize> = self
            .alice
            .into_iter()
            .chain(self.bob)
            .chain(self.stack.iter().copied())
            .collect();
        all.sort_unstable();
        all == (1..=NODES).collect::<Vec<_>>()
    }
}

impl fmt::Display for Holdings {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let one = |o: Option<usize>| o.map_or_else(|| "nothing".to_owned(), |i| node(i).to_string());
        let stack: Vec<String> = self.stack.iter().map(|&i| node(i).to_string()).collect();
        write!(
            f,
            "alice has {}, bob has {}, stack [{}]",
            one(self.alice),
            one(self.bob),
            stack.join(" ")
        )
    }
}

/// The stack starts as A on top of B. alice pops once; bob pops twice and
/// pushes his first back. Acceptable: every node in exactly one place.
pub fn scenario<S: Stack>(name: &str) -> Scenario<Holdings> {
    Scenario::new(name, || {
        crate::trace::note("nodes: 1 is A, 2 is B, 0 is none");
        // Pushed B then A: A is on top.
        let stack = Arc::new(S::with_items(&[2, 1]));
        let s = Arc::clone(&stack);
        let alice = thread::Builder::new()
            .name("alice")
            .spawn(move || s.pop())
            .expect("spawn alice");
        let s = Arc::clone(&stack);
        let bob = thread::Builder::new()
            .name("bob")
            .spawn(move || {
                let first = s.pop();
                let second = s.pop();
                if let Some(first) = first {
                    s.push(first);
                }
                second
            })
            .expect("spawn bob");
        let alice = alice.join().expect("alice panicked");
        let bob = bob.join().expect("bob panicked");
        Holdings {
            alice,
            bob,
            stack: stack.contents(NODES + 2),
        }
    })
    .expect("every node in exactly one place", |h: &Holdings| {
        if h.conserved() {
            Grade::Acceptable
        } else {
            Grade::Forbidden
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_node_in_two_places_is_not_conserved() {
        let aba = Holdings {
            alice: Some(1),
            bob: Some(2),
            stack: vec![2],
        };
        assert!(!aba.conserved());
        assert_eq!(aba.to_string(), "alice has A, bob has B, stack [B]");
        let fine = Holdings {
            alice: Some(1),
            bob: None,
            stack: vec![2],
        };
        assert!(fine.conserved());
    }

    #[test]
    fn tags_and_indices_pack_into_one_word() {
        assert_eq!(unpack(pack(7, 2)), (7, 2));
    }
}
