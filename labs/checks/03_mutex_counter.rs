//! Check for lab 03. The property: **every increment is counted**. When
//! several threads call `increment` at once and all of them have been
//! joined, `get` returns exactly the number of calls made, under every
//! schedule loom and shuttle explore.
//!
//! Two sizes, smallest first (the first that fails is the one reported):
//! two threads that increment twice each, then three threads that
//! increment twice each. The three-thread size is also explored by shuttle
//! with a deeper PCT (more priority changes per schedule): loom runs a
//! critical section that has no atomic operation inside as one step, so it
//! never shows a `try_lock` finding the lock busy, and a thread that finds
//! it busy several times in a row needs several changes of schedule.

use super::exercise;

use std::fmt;

use racelab::explore::{Explorer, Scenario};
use racelab::sync::Arc;

/// The count `get` returned once every thread was joined, and how many
/// increments the threads made.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
struct Tally {
    count: u64,
    made: u64,
}

impl fmt::Display for Tally {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "count = {} after {} increments", self.count, self.made)?;
        if self.count < self.made {
            write!(f, " ({} lost)", self.made - self.count)?;
        } else if self.count > self.made {
            write!(f, " ({} too many)", self.count - self.made)?;
        }
        Ok(())
    }
}

/// Threads named `names` each call `increment` `times` times; once all are
/// joined, the count must be the number of calls.
fn counting(names: &'static [&'static str], times: u64) -> Scenario<Tally> {
    let made = names.len() as u64 * times;
    let title = format!("lab 03: {} threads, {times} increments each", names.len());
    Scenario::new(title, move || {
        let counter = Arc::new(exercise::Counter::new());
        let shared = Arc::clone(&counter);
        racelab_labs::in_parallel(names, move |_| {
            for _ in 0..times {
                shared.increment();
            }
        });
        Tally {
            count: counter.get(),
            made,
        }
    })
    .expect_only(Tally { count: made, made })
}

/// Every increment is counted: once every thread has been joined, the count
/// is the number of `increment` calls (2 threads × 2, then 3 threads × 2).
#[test]
fn every_increment_is_counted_under_every_schedule() {
    racelab_labs::check(counting(&["alice", "bob"], 2), racelab_labs::MODELS);
    racelab_labs::check_with(
        counting(&["alice", "bob", "carol"], 2),
        // shuttle at depth 5 as well: a retry that gives up after a few
        // tries is caught only with more priority changes per schedule.
        &[Explorer::loom(), Explorer::shuttle(), Explorer::shuttle().with_depth(5)],
    );
}
