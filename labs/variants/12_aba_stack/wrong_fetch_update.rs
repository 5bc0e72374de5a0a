// WRONG: fetch_update is a compare-exchange loop on the index alone, so it is fooled by a head that left and came back exactly like the starter.
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
        let _ = self.head.fetch_update(Release, Relaxed, |head| {
            self.next[node].store(head, Relaxed);
            Some(node)
        });
    }

    /// Pops the top node.
    pub fn pop(&self) -> Option<usize> {
        self.head
            .fetch_update(AcqRel, Acquire, |head| {
                (head != 0).then(|| self.next[head].load(Relaxed))
            })
            .ok()
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
