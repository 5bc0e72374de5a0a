// RIGHT: the original head and links, changed only while holding a spin lock (Acquire to take, Release to give back), so a pop cannot be interleaved.
use racelab::sync::atomic::Ordering::{Acquire, Relaxed, Release};
use racelab::sync::atomic::{AtomicBool, AtomicUsize};
use racelab::sync::hint;

/// A stack of the nodes 1 (A) and 2 (B).
pub struct Stack {
    /// Taken while the head or a link is read or changed.
    locked: AtomicBool,
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
            locked: AtomicBool::new(false).named("locked"),
            head: AtomicUsize::new(0).named("head"),
            next,
        }
    }

    /// Runs `f` while holding the lock.
    fn locked<R>(&self, f: impl FnOnce() -> R) -> R {
        while self
            .locked
            .compare_exchange_weak(false, true, Acquire, Relaxed)
            .is_err()
        {
            hint::spin_loop();
        }
        let r = f();
        self.locked.store(false, Release);
        r
    }

    /// Pushes `node` (1 or 2, not on the stack now).
    pub fn push(&self, node: usize) {
        self.locked(|| {
            self.next[node].store(self.head.load(Relaxed), Relaxed);
            self.head.store(node, Relaxed);
        });
    }

    /// Pops the top node.
    pub fn pop(&self) -> Option<usize> {
        self.locked(|| {
            let head = self.head.load(Relaxed);
            if head != 0 {
                self.head.store(self.next[head].load(Relaxed), Relaxed);
            }
            (head != 0).then_some(head)
        })
    }

    /// The nodes from the top (at most 4).
    pub fn contents(&self) -> Vec<usize> {
        self.locked(|| {
            let mut nodes = Vec::new();
            let mut at = self.head.load(Relaxed);
            while at != 0 && nodes.len() < 4 {
                nodes.push(at);
                at = self.next[at].load(Relaxed);
            }
            nodes
        })
    }
}
