//! Check for lab 04. The property: **every count reaches the total exactly
//! once**. Threads count in batches, and call `finish` after each batch;
//! once every thread has been joined, `get` is the number of `count` calls
//! made, under every schedule loom and shuttle explore.
//!
//! Two sizes, smallest first (the first that fails is the one reported):
//! `alice` counts a batch of 1 and a batch of 2 (two merges by one thread:
//! a merge that does not reset the thread's pending count adds the first
//! batch twice) while `bob` counts 4; then the same with `carol` counting
//! 8 as well (three other merges can land while one thread merges). Every
//! batch is a different power of two, so each set of lost merges gives a
//! different total, and the report can say which batches add up to what
//! is missing. The three-thread size is also explored by shuttle with a
//! deeper PCT (more priority changes per schedule), for a lock taken with
//! `try_lock` that gives up after a few tries.

use super::exercise;

use std::fmt;

use racelab::explore::{Explorer, Scenario};
use racelab::sync::{thread, Arc};

/// Who counts what: each thread's name and its batches, in order.
type Plan = &'static [(&'static str, &'static [u64])];

/// The total `get` returned once every thread was joined, against the plan.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
struct Tally {
    total: u64,
    plan: Plan,
}

impl Tally {
    fn expected(&self) -> u64 {
        self.plan.iter().flat_map(|(_, batches)| batches.iter()).sum()
    }
}

impl fmt::Display for Tally {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let expected = self.expected();
        write!(f, "total = {} of {expected} counts", self.total)?;
        if self.total < expected {
            // Batches are distinct powers of two: the bits missing from the
            // total name the batches that add up to what is missing.
            let missing = expected - self.total;
            let lost: Vec<String> = self
                .plan
                .iter()
                .flat_map(|(name, batches)| batches.iter().map(move |b| (name, b)))
                .filter(|(_, b)| missing & **b != 0)
                .map(|(name, b)| format!("{name}'s {b}"))
                .collect();
            write!(f, " ({missing} missing: {})", lost.join(" + "))?;
        } else if self.total > expected {
            write!(f, " ({} counted twice or more)", self.total - expected)?;
        }
        Ok(())
    }
}

/// One thread per entry of `plan`: for each batch, count that many times
/// and call `finish`. Once all are joined, the total must be every count.
fn merging(title: &str, plan: Plan) -> Scenario<Tally> {
    let scenario = Scenario::new(format!("lab 04: {title}"), move || {
        let counter = Arc::new(exercise::Counter::new());
        let workers: Vec<_> = plan
            .iter()
            .map(|&(name, batches)| {
                let counter = Arc::clone(&counter);
                thread::Builder::new()
                    .name(name)
                    .spawn(move || {
                        for &batch in batches {
                            for _ in 0..batch {
                                counter.count();
                            }
                            counter.finish();
                        }
                    })
                    .expect("spawn a worker")
            })
            .collect();
        for worker in workers {
            worker.join().expect("a worker panicked");
        }
        Tally {
            total: counter.get(),
            plan,
        }
    });
    let right = Tally { total: 0, plan }.expected();
    scenario.expect_only(Tally { total: right, plan })
}

/// Every count reaches the total exactly once: alice merges 1 then 2 while
/// bob merges 4 (total 7), then the same while carol merges 8 (total 15).
#[test]
fn every_count_reaches_the_total_once_under_every_schedule() {
    racelab_labs::check(
        merging("alice counts 1 then 2, bob 4", &[("alice", &[1, 2]), ("bob", &[4])]),
        racelab_labs::MODELS,
    );
    racelab_labs::check_with(
        merging(
            "alice counts 1 then 2, bob 4, carol 8",
            &[("alice", &[1, 2]), ("bob", &[4]), ("carol", &[8])],
        ),
        // shuttle at depth 5 as well: a retry that gives up after a few
        // tries is caught only with more priority changes per schedule.
        &[Explorer::loom(), Explorer::shuttle(), Explorer::shuttle().with_depth(5)],
    );
}

/// One merge against many: alice merges a batch of 1 while bob merges four
/// batches (2, 4, 8, 16), under loom with a preemption bound of 8, so that
/// alice's merge can lose its race to bob four times in a row (each loss
/// takes two preemptions): a merge that gives up after up to four failed
/// attempts loses alice's count; one that retries until it succeeds never
/// does.
#[test]
fn a_merge_that_keeps_losing_its_race_still_counts() {
    racelab_labs::check_with(
        merging(
            "alice merges 1, bob merges four times",
            &[("alice", &[1]), ("bob", &[2, 4, 8, 16])],
        ),
        &[Explorer::loom().with_preemption_bound(Some(8))],
    );
}
