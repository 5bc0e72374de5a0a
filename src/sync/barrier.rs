//! `Barrier`, built from the facade's `Mutex` and `Condvar`, so it works
//! under loom too (loom has none of its own that shuttle shares). A
//! timeline shows each thread's `arrive <name> (k of n)` and, for those that
//! waited, `arrive <name> (released)` when the last one lets them through;
//! the lock and condvar steps it is made of are folded out. A thread that
//! waits for ever shows as blocked, waiting for the others to arrive.

use super::{Condvar, Mutex};
use crate::trace::{self, Op, Target};

/// Blocks threads until `n` of them have called [`Barrier::wait`], then lets
/// them all go; reusable, like `std::sync::Barrier`.
#[derive(Debug)]
pub struct Barrier {
    n: usize,
    // (threads arrived in this round, round number)
    state: Mutex<(usize, u64)>,
    all_arrived: Condvar,
    target: Target,
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
        // Its parts carry its name (the line that made it, until named),
        // so a thread blocked inside shows against the barrier.
        let target = Target::caller();
        Barrier {
            n,
            state: Mutex::new((0, 0)).named(target.to_string()),
            all_arrived: Condvar::new().named(target.to_string()),
            target,
        }
    }

    /// Gives the barrier's lock and condition variable the name timelines show.
    pub fn named(mut self, name: impl AsRef<str>) -> Self {
        let name = name.as_ref();
        self.state = self.state.named(name);
        self.all_arrived = self.all_arrived.named(name);
        self.target = Target::name(name);
        self
    }

    /// Waits until `n` threads have arrived.
    pub fn wait(&self) -> BarrierWaitResult {
        let model = super::backend::current().is_model();
        let fold = model.then(trace::fold);
        let mut state = self.state.lock().unwrap_or_else(|p| p.into_inner());
        let round = state.1;
        state.0 += 1;
        let arrived = state.0;
        let leader = arrived >= self.n;
        drop(fold);
        if model {
            let note = if leader {
                format!("({arrived} of {}: all go)", self.n)
            } else {
                format!("({arrived} of {})", self.n)
            };
            trace::record(Op::Arrive, self.target, Some(note));
        }
        let _fold = model.then(trace::fold);
        if leader {
            *state = (0, round.wrapping_add(1));
            self.all_arrived.notify_all();
            drop(state);
            return BarrierWaitResult(true);
        }
        while state.1 == round {
            state = self
                .all_arrived
                .wait_as(state, Op::Arrive)
                .unwrap_or_else(|p| p.into_inner());
        }
        drop(_fold);
        if model {
            trace::record(Op::Arrive, self.target, Some("(released)".to_owned()));
        }
        let _fold = model.then(trace::fold);
        drop(state);
        BarrierWaitResult(false)
    }
}
