//! `Barrier`, built from the facade's `Mutex` and `Condvar`, so it works
//! under loom too (loom has none of its own that shuttle shares) and its
//! waits show in timelines.

use super::{Condvar, Mutex};

/// Blocks threads until `n` of them have called [`Barrier::wait`], then lets
/// them all go; reusable, like `std::sync::Barrier`.
#[derive(Debug)]
pub struct Barrier {
    n: usize,
    // (threads arrived in this round, round number)
    state: Mutex<(usize, u64)>,
    all_arrived: Condvar,
}

/// Whether this thread was the one that released the others.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BarrierWaitResult(bool);

impl BarrierWaitResult {
    /// True for exactly one thread per round.
    pub fn is_leader(&self) -> bool {
        self.0
    }
}

impl Barrier {
    /// A barrier for `n` threads, on the current backend.
    #[track_caller]
    pub fn new(n: usize) -> Self {
        Barrier {
            n,
            state: Mutex::new((0, 0)),
            all_arrived: Condvar::new(),
        }
    }

    /// Gives the barrier's lock and condition variable the name timelines show.
    pub fn named(mut self, name: impl AsRef<str>) -> Self {
        let name = name.as_ref();
        self.state = self.state.named(name);
        self.all_arrived = self.all_arrived.named(name);
        self
    }

    /// Waits until `n` threads have arrived.
    pub fn wait(&self) -> BarrierWaitResult {
        let mut state = self.state.lock().unwrap_or_else(|p| p.into_inner());
        let round = state.1;
        state.0 += 1;
        if state.0 < self.n {
            let _state = self
                .all_arrived
                .wait_while(state, |s| s.1 == round)
                .unwrap_or_else(|p| p.into_inner());
            BarrierWaitResult(false)
        } else {
            *state = (0, round.wrapping_add(1));
            self.all_arrived.notify_all();
            BarrierWaitResult(true)
        }
    }
}
