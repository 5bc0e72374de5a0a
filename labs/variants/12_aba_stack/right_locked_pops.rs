// RIGHT: pops take a mutex, so no node can leave the stack while a pop is between its read and its compare-exchange; pushes stay lock-free (a push fooled by ABA is harmless: its link is still right).
use racelab::sync::atomic::AtomicUsize;
use racelab::sync::atomic::Ordering::{AcqRel, Acquire, Relaxed, Release};
use racelab::sync::Mutex;

/// A stack of the nodes 1 (A) and 2 (B).
pub struct Stack {
    /// Held by every pop.
    popping: Mutex<()>,
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
            popping: Mutex::new(()).named("popping"),
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
        let _popping = self.popping.lock().unwrap_or_else(|p| p.into_inner());
        loop {
            let head = self.head.load(Acquire);
            if head == 0 {
                return None;
            }
            // Only pushes can move the head now, and only away from `head`.
            let next = self.next[head].load(Relaxed);
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
