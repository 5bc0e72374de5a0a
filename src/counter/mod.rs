//! The shared counter: the smallest race there is, and five ways to fix it.
//!
//! Lecture section *GIL* (race conditions): threads that read a shared value,
//! compute, and write it back lose each other's updates. Every variant here
//! implements [`Counter`]; the [`scenario`] makes `threads` named threads each
//! call `increment` `ops` times, and accepts only a final count of
//! `threads × ops`.
//!
//! | variant | file | fixes it by | costs |
//! |---|---|---|---|
//! | `racy` | [`racy`] | nothing: load, then store | - |
//! | `mutex` | [`mutex`] | one lock around read-modify-write | a lock per increment; threads queue |
//! | `atomic` | [`atomic`] | `fetch_add`: one indivisible step | the cache line bounces between cores |
//! | `cas` | [`cas`] | retry a compare-exchange until it sticks | retries grow with contention |
//! | `sharded` | [`sharded`] | one padded slot per thread, summed on read | memory per slot; reads add every slot |
//! | `thread_local` | [`thread_local`] | count privately, merge once per thread | the total is right only after every thread finished |

pub mod atomic;
pub mod cas;
pub mod mutex;
pub mod racy;
pub mod sharded;
pub mod thread_local;

use std::fmt;

use crate::explore::Scenario;
use crate::sync::{thread, Arc, StartGate};

/// A counter that threads increment concurrently.
pub trait Counter: Send + Sync + 'static {
    /// A zeroed counter, built on the current backend.
    fn new() -> Self
    where
        Self: Sized;

    /// Adds one.
    fn increment(&self);

    /// Called once by each thread when it has done its increments (a counter
    /// that buffers per thread merges here).
    fn finish_thread(&self) {}

    /// The count.
    fn get(&self) -> u64;
}

/// A scenario's outcome: the final count.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Count(pub u64);

impl fmt::Display for Count {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "count = {}", self.0)
    }
}

impl std::str::FromStr for Count {
    type Err = std::num::ParseIntError;

    /// Reads back what `Display` wrote (outcome tables hold text).
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        s.trim_start_matches("count = ").parse().map(Count)
    }
}

/// Names for the worker threads, so timelines read like a story.
pub const THREAD_NAMES: [&str; 8] = ["alice", "bob", "carol", "dave", "erin", "frank", "grace", "heidi"];

/// The name of worker `i`.
pub fn thread_name(i: usize) -> String {
    THREAD_NAMES
        .get(i)
        .map_or_else(|| format!("worker{i}"), |n| (*n).to_owned())
}

/// `threads` threads each increment a fresh `C` `ops` times; only a final
/// count of `threads × ops` is acceptable.
pub fn scenario<C: Counter>(name: &str, threads: usize, ops: u64) -> Scenario<Count> {
    Scenario::new(name, move || {
        let counter = Arc::new(C::new());
        let gate = Arc::new(StartGate::new(threads));
        let workers: Vec<_> = (0..threads)
            .map(|i| {
                let (counter, gate) = (Arc::clone(&counter), Arc::clone(&gate));
                thread::Builder::new()
                    .name(thread_name(i))
                    .spawn(move || {
                        gate.wait();
                        for _ in 0..ops {
                            counter.increment();
                        }
                        counter.finish_thread();
                    })
                    .expect("spawn a worker")
            })
            .collect();
        for w in workers {
            w.join().expect("a worker panicked");
        }
        Count(counter.get())
    })
    .expect_only(Count(threads as u64 * ops))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_count_reads_back_what_it_displays() {
        assert_eq!("count = 42".parse(), Ok(Count(42)));
        assert_eq!(Count(7).to_string().parse(), Ok(Count(7)));
    }
}
