// RIGHT: the whole stack behind one mutex: a pop reads the head and moves it in one critical section, so nothing can change in between.
use racelab::sync::Mutex;

/// A stack of the nodes 1 (A) and 2 (B).
pub struct Stack {
    /// The nodes, the top last.
    nodes: Mutex<Vec<usize>>,
}

impl Stack {
    /// An empty stack.
    pub fn new() -> Self {
        Stack {
            nodes: Mutex::new(Vec::new()).named("stack").traced(),
        }
    }

    /// Pushes `node` (1 or 2, not on the stack now).
    pub fn push(&self, node: usize) {
        self.nodes.lock().unwrap_or_else(|p| p.into_inner()).push(node);
    }

    /// Pops the top node.
    pub fn pop(&self) -> Option<usize> {
        self.nodes.lock().unwrap_or_else(|p| p.into_inner()).pop()
    }

    /// The nodes from the top.
    pub fn contents(&self) -> Vec<usize> {
        let nodes = self.nodes.lock().unwrap_or_else(|p| p.into_inner());
        nodes.iter().rev().copied().collect()
    }
}
