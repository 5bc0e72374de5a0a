// WRONG: the tag stops ABA, but push publishes the node with a Relaxed compare-exchange, so a pop that sees the new head may read the node's old next.

use racelab::sync::atomic::Ordering::{AcqRel, Acquire, Relaxed};
use racelab::sync::atomic::{AtomicU64, AtomicUsize};

/// A stack of the nodes 1 (A) and 2 (B).
pub struct Stack {
    /// The top node (0: empty) in the low 32 bits, a version tag above.
    head: AtomicU64,
    /// `next[i]`: the node under node `i` (0: none); `next[0]` is unused.
    next: [AtomicUsize; 3],
}

fn pack(tag: u64, node: usize) -> u64 {
    (tag << 32) | node as u64
}

fn unpack(word: u64) -> (u64, usize) {
    (word >> 32, (word & 0xffff_ffff) as usize)
}

impl Stack {
    /// An empty stack.
    pub fn new() -> Self {
        let next = ["unused", "A.next", "B.next"].map(|name| AtomicUsize::new(0).named(name));
        Stack {
            head: AtomicU64::new(0).named("head"),
            next,
        }
    }

    /// Pushes `node` (1 or 2, not on the stack now).
    pub fn push(&self, node: usize) {
        loop {
            let word = self.head.load(Relaxed);
            let (tag, head) = unpack(word);
            self.next[node].store(head, Relaxed);
            let new = pack(tag.wrapping_add(1), node);
            if self.head.compare_exchange(word, new, Relaxed, Relaxed).is_ok() {
                return;
            }
        }
    }

    /// Pops the top node.
    pub fn pop(&self) -> Option<usize> {
        loop {
            let word = self.head.load(Acquire);
            let (tag, head) = unpack(word);
            if head == 0 {
                return None;
            }
            let next = self.next[head].load(Relaxed);
            // Every success bumps the tag: a head that left and came back
            // carries a new tag, so this fails and the pop starts over.
            let new = pack(tag.wrapping_add(1), next);
            if self.head.compare_exchange(word, new, AcqRel, Acquire).is_ok() {
                return Some(head);
            }
        }
    }

    /// The nodes from the top (at most 4: a broken stack may loop).
    pub fn contents(&self) -> Vec<usize> {
        let mut nodes = Vec::new();
        let mut at = unpack(self.head.load(Acquire)).1;
        while at != 0 && nodes.len() < 4 {
            nodes.push(at);
            at = self.next[at].load(Acquire);
        }
        nodes
    }
}
