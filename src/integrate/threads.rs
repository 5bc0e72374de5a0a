//! The lecture's integral on K threads: one scoped thread per segment.
//!
//! Lecture section *threading* ("one thread per segment"). Each thread
//! computes its segment's integral and *returns* it; the caller adds the K
//! partial results after joining, in segment order. Nothing is shared while
//! the threads run, so there is nothing to race on (see [`super::sum`] for
//! what happens when the threads add into one shared total instead).
//!
//! `std::thread::scope` lets the threads borrow the segments and guarantees
//! they are joined before it returns. Cost: one thread start per segment;
//! with more segments than cores the threads take turns (no gain, a little
//! loss).

use super::{total, Segment};

impl Segment {
    /// The segment cut into `k` parts ([`Segment::split`]), each integrated
    /// on its own thread; the partial results added in order.
    pub fn on_threads(&self, k: usize) -> f64 {
        let parts = self.split(k);
        std::thread::scope(|s| {
            let handles: Vec<_> = parts.iter().map(|p| s.spawn(|| p.midpoint())).collect();
            total(
                handles
                    .into_iter()
                    .map(|h| h.join().unwrap_or_else(|p| std::panic::resume_unwind(p))),
            )
        })
    }
}
