// WRONG: the version tag lives in its own atomic, so pop can check it and still be fooled between that check and the compare-exchange of the head.
use racelab::sync::atomic::Ordering::{AcqRel, Acquire, Relaxed, Release};
use racelab::sync::atomic::{AtomicU64, AtomicUsize};

/// A stack of the nodes 1 (A) and 2 (B).
pub struct Stack {
    /// The top node (0: empty).
    head: AtomicUsize,
    /// Bumped after every change of the head.
    tag: AtomicU64,
    /// `next[i]`: the node under node `i` (0: none); `next[0]` is unused.
    next: [AtomicUsize; 3],
}

impl Stack {
    /// An empty stack.
    pub fn new() -> Self {
        let next = ["unused", "A.next", "B.next"].map(|name| AtomicUsize::new(0).named(name));
        Stack {
            head: AtomicUsize::new(0).named("head"),
            tag: AtomicU64::new(0).named("tag"),
            next,
        }
    }

    /// Pushes `node` (1 or 2, not on the stack now).
    pub fn push(&self, node: usize) {
        loop {
            let head = self.head.load(Relaxed);
            self.next[node].store(head, Relaxed);
            if self.head.compare_exchange(head, node, Release, Relaxed).is_ok() {
                self.tag.fetch_add(1, Release);
                return;
            }
        }
    }

    /// Pops the top node.
    pub fn pop(&self) -> Option<usize> {
        loop {
            let tag = self.tag.load(Acquire);
            let head = self.head.load(Acquire);
            if head == 0 {
                return None;
            }
            let next = self.next[head].load(Relaxed);
            if self.tag.load(Acquire) != tag {
                continue;
            }
            if self.head.compare_exchange(head, next, AcqRel, Acquire).is_ok() {
                self.tag.fetch_add(1, Release);
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
