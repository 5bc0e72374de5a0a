//! Check for lab 02. The property: **every increment is counted**. When
//! several threads call `increment` at once and all of them have been
//! joined, `get` returns exactly the number of calls made, under every
//! schedule loom and shuttle explore.
//!
//! Two sizes, smallest first (the first that fails is the one reported):
//! two threads that increment twice each, then three threads that
//! increment twice each. With three, a thread between its read and its
//! write can see the counter change again and again: a retry loop that
//! gives up after a few attempts loses that increment. The three-thread
//! size is also explored by shuttle with a deeper PCT (more priority
//! changes per schedule), for a lock taken with `try_lock` that gives up
//! after a few tries.

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
    let title = format!("lab 02: {} threads, {times} increments each", names.len());
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

/// One increment against many: alice increments once while bob increments
/// six times, under loom with a preemption bound of 12, so that alice can
/// lose her race to bob six times in a row (each loss takes two
/// preemptions): a retry loop that gives up after up to six failed attempts
/// loses her increment; one that retries until it succeeds never does. (A
/// loop that gives up only after more attempts needs more increments than a
/// model can explore: retry until you succeed.)
#[test]
fn an_increment_that_keeps_losing_its_race_still_counts() {
    let scenario = Scenario::new("lab 02: alice 1 increment, bob 6", || {
        let counter = Arc::new(exercise::Counter::new());
        let shared = Arc::clone(&counter);
        racelab_labs::in_parallel(&["alice", "bob"], move |i| {
            for _ in 0..[1, 6][i] {
                shared.increment();
            }
        });
        Tally {
            count: counter.get(),
            made: 7,
        }
    })
    .expect_only(Tally { count: 7, made: 7 });
    racelab_labs::check_with(scenario, &[Explorer::loom().with_preemption_bound(Some(12))]);
}
