//! Check for lab 11. The property: **one holder at a time, and each holder
//! finds the value as the previous holder left it.** Every worker adds one
//! to a counter kept in the spin lock: the total must be the number of
//! workers, and no two accesses of the counter may be unordered (no data
//! race). Checked with two workers and with three (a lock that lets a
//! waiter in without taking it shows only with a third thread), under
//! every execution loom explores (loom checks every access of the counter
//! against happens-before; shuttle runs every atomic as `SeqCst` and does
//! not check cell accesses, so it is not used).

use super::exercise;

use std::fmt;

use racelab::explore::{Grade, Scenario};
use racelab::sync::Backend;
use racelab::sync::{thread, Arc};

/// The counter after every worker added one, and how many workers there were.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
struct Total {
    workers: u64,
    total: u64,
}

impl fmt::Display for Total {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "total = {}", self.total)?;
        if self.total < self.workers {
            let lost = self.workers - self.total;
            write!(f, " ({lost} increment{} lost)", if lost == 1 { "" } else { "s" })?;
        } else if self.total > self.workers {
            write!(f, " (more than the {} increments)", self.workers)?;
        }
        Ok(())
    }
}

/// Each of `names` adds one inside the lock, at once; then `main` reads the
/// total inside the lock.
fn scenario(names: &'static [&'static str]) -> Scenario<Total> {
    let workers = names.len() as u64;
    Scenario::new(format!("lab 11: spin lock, {workers} workers"), move || {
        let lock = Arc::new(exercise::SpinLock::new(0u64));
        let l = Arc::clone(&lock);
        racelab_labs::in_parallel(names, move |_| {
            let mut guard = l.lock();
            let seen = guard.with(|v| *v);
            // Other workers run here too: the lock must keep them out.
            thread::yield_now();
            guard.with_mut(|v| *v = seen + 1);
        });
        let total = lock.lock().with(|v| *v);
        Total { workers, total }
    })
    .expect(format!("total = {workers}, no data race"), |t: &Total| {
        if t.total == t.workers {
            Grade::Acceptable
        } else {
            Grade::Forbidden
        }
    })
}

/// alice and bob each add one inside the lock.
#[test]
fn every_increment_under_the_lock_is_seen_by_the_next_holder() {
    racelab_labs::check(scenario(&["alice", "bob"]), racelab_labs::LOOM);
}

/// alice, bob and carol each add one inside the lock.
#[test]
fn three_workers_never_hold_the_lock_at_once() {
    racelab_labs::check(scenario(&["alice", "bob", "carol"]), &[Backend::Shuttle]);
}
