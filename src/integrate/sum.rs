//! Adding the segments' partial sums: one shared total loses a part.
//!
//! Lecture sections *threading* and *GIL* together: K threads integrate K
//! segments, and each adds its result into one shared `total` —
//! `total += part`, which is a read, an addition and a write. Two threads
//! that both read `total = 0` both write their own part: one segment's part
//! is lost and the integral comes out short. Each read and each write is
//! atomic on its own here (a locked get, a locked set — in Python, one
//! bytecode each under the GIL); the gap between them is the race.
//!
//! | variant | [`Combine`] | verdict, cost |
//! |---|---|---|
//! | `integrate::shared_sum` | [`Combine::Shared`]: read `total`, add, write it back | racy: a part is lost |
//! | `integrate::partial_sums` | [`Combine::PartialSums`]: each thread *returns* its part; the main thread adds them after `join` | holds; nothing is shared, and the sum is in segment order (the same bits every run); costs nothing — what [`Segment::on_threads`](super::Segment::on_threads) does |
//! | `integrate::atomic_sum` | [`Combine::Atomic`]: the total's `f64` bits in an `AtomicU64`, added by a compare-exchange loop that retries when another thread got in first | holds; parts arrive in any order, so the last bits may differ between runs (within [`TOLERANCE`](super::TOLERANCE)); a retry per collision |
//!
//! Under the models each segment has a handful of steps (`ops`): the race
//! is in the adding, not in the integrating.

use std::fmt;

use super::{agree, lecture, total};
use crate::counter::thread_name;
use crate::explore::{Grade, Scenario};
use crate::sync::atomic::{AtomicU64, Ordering::SeqCst};
use crate::sync::{thread, Arc, Mutex, PoisonError, StartGate};

/// How the threads' partial sums become one total.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Combine {
    /// `total = total + part` on a shared total.
    Shared,
    /// Each thread returns its part; the main thread adds.
    PartialSums,
    /// A compare-exchange loop on the total's bits.
    Atomic,
}

/// A scenario's outcome: the total (by its bits, so it can be hashed).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Total(pub u64);

impl Total {
    /// The total as a number.
    pub fn value(self) -> f64 {
        f64::from_bits(self.0)
    }
}

impl fmt::Display for Total {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "total = {}", self.value())
    }
}

/// Adds `part` to the total's bits with a compare-exchange loop.
fn add_atomically(total: &AtomicU64, part: f64) {
    let mut seen = total.load(SeqCst);
    loop {
        let new = (f64::from_bits(seen) + part).to_bits();
        match total.compare_exchange(seen, new, SeqCst, SeqCst) {
            Ok(_) => return,
            Err(now) => seen = now, // another part landed first: add to that
        }
    }
}

/// `threads` threads each integrate one segment of the lecture's integral
/// (`steps` steps each) and combine their parts `how`; acceptable when the
/// total agrees with the sum of all parts.
pub fn scenario(name: &str, how: Combine, threads: usize, steps: u64) -> Scenario<Total> {
    let threads = threads.max(1);
    let parts = lecture(threads as u64 * steps.max(1)).split(threads);
    let expected = total(parts.iter().map(|p| p.midpoint()));
    let parts = Arc::new(parts);
    Scenario::new(name, move || {
        let shared = Arc::new(Mutex::new(0.0_f64).named("total").traced());
        let bits = Arc::new(AtomicU64::new(0.0_f64.to_bits()).named("total"));
        let gate = Arc::new(StartGate::new(parts.len()));
        let workers: Vec<_> = (0..parts.len())
            .map(|i| {
                let (parts, shared, bits, gate) = (
                    Arc::clone(&parts),
                    Arc::clone(&shared),
                    Arc::clone(&bits),
                    Arc::clone(&gate),
                );
                thread::Builder::new()
                    .name(thread_name(i))
                    .spawn(move || {
                        gate.wait();
                        let part = parts[i].midpoint();
                        match how {
                            Combine::Shared => {
                                let seen = shared.get_cloned().unwrap_or_else(PoisonError::into_inner);
                                // Another thread may write its part here; this write erases it.
                                let _ = shared.set(seen + part);
                                0.0
                            }
                            Combine::PartialSums => part,
                            Combine::Atomic => {
                                add_atomically(&bits, part);
                                0.0
                            }
                        }
                    })
                    .expect("spawn a segment thread")
            })
            .collect();
        let returned: Vec<f64> = workers
            .into_iter()
            .map(|w| w.join().expect("a segment thread panicked"))
            .collect();
        let value = match how {
            Combine::Shared => shared.get_cloned().unwrap_or_else(PoisonError::into_inner),
            Combine::PartialSums => total(returned),
            Combine::Atomic => f64::from_bits(bits.load(SeqCst)),
        };
        Total(value.to_bits())
    })
    .expect(
        format!("total ≈ {expected} (every segment's part)"),
        move |t: &Total| {
            if agree(t.value(), expected) {
                Grade::Acceptable
            } else {
                Grade::Forbidden
            }
        },
    )
}

type Built = Box<dyn crate::explore::Explorable>;

/// Catalogue entry `integrate::shared_sum`: racy.
pub(crate) fn build_shared_sum(name: &'static str, params: crate::catalogue::Params) -> Built {
    Box::new(scenario(name, Combine::Shared, params.threads, params.ops))
}

/// Catalogue entry `integrate::partial_sums`.
pub(crate) fn build_partial_sums(name: &'static str, params: crate::catalogue::Params) -> Built {
    Box::new(scenario(name, Combine::PartialSums, params.threads, params.ops))
}

/// Catalogue entry `integrate::atomic_sum`.
pub(crate) fn build_atomic_sum(name: &'static str, params: crate::catalogue::Params) -> Built {
    Box::new(scenario(name, Combine::Atomic, params.threads, params.ops))
}
