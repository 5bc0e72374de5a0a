//! `StartGate`: a start line for hardware runs.
//!
//! A race on real threads shows only if the threads run at the same time;
//! spawned one after another, the first may finish before the second starts.
//! On hardware the gate is a real barrier: every worker waits at it, and all
//! leave together. Under the model backends it does nothing: the model
//! already explores every order of thread starts, and the interleavings the
//! gate would allow are a subset of those, so leaving it out loses no
//! outcome and saves the model the scheduling points of a barrier.

use super::backend::{self, Backend};

/// Holds `n` hardware threads until all have arrived; free under the models.
#[derive(Debug)]
pub struct StartGate {
    barrier: Option<std::sync::Barrier>,
}

impl StartGate {
    /// A gate for `n` threads on the current backend.
    pub fn new(n: usize) -> Self {
        let barrier = (backend::current() == Backend::Hardware).then(|| std::sync::Barrier::new(n));
        StartGate { barrier }
    }

    /// Waits for the other threads (on hardware only).
    pub fn wait(&self) {
        if let Some(b) = &self.barrier {
            b.wait();
        }
    }
}
