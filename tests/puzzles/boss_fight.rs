//! **Boss Fight** — The Deadlock Empire, level `D4-Boss`
//! (`js/content/dragons.js` in github.com/deadlockempire/deadlockempire.github.io),
//! reduced to its counters and one round.
//!
//! Both threads run `darkness = darkness + 1; evil = evil + 1;`. The first
//! enters its critical section if `darkness != 2 && evil != 2`, the second
//! if `darkness != 2 && evil == 2`. Both entering needs `evil` to reach 2
//! while `darkness` does not: one increment of `darkness` is lost.
//!
//! Teacher's marks: the store to `darkness` that overwrites the other
//! thread's increment is a lost update.

use racelab::explore::{FailureKind, Scenario};
use racelab::sync::atomic::{AtomicI32, Ordering::SeqCst};
use racelab::sync::Arc;
use racelab::trace::{MarkKind, Op};

use crate::support::{mark, spawn, Puzzle, Verdict};

fn increment(x: &AtomicI32) {
    let v = x.load(SeqCst);
    x.store(v + 1, SeqCst);
}

pub fn puzzle() -> Puzzle {
    let scenario = Scenario::new("puzzles::boss_fight", || {
        let darkness = Arc::new(AtomicI32::new(0).named("darkness"));
        let evil = Arc::new(AtomicI32::new(0).named("evil"));
        let (d, e) = (Arc::clone(&darkness), Arc::clone(&evil));
        let first = spawn("first", move || {
            increment(&d);
            increment(&e);
            d.load(SeqCst) != 2 && e.load(SeqCst) != 2
        });
        let (d, e) = (Arc::clone(&darkness), Arc::clone(&evil));
        let second = spawn("second", move || {
            increment(&d);
            increment(&e);
            d.load(SeqCst) != 2 && e.load(SeqCst) == 2
        });
        let entered = [first.join().unwrap(), second.join().unwrap()];
        match entered.iter().filter(|e| **e).count() {
            2 => "both in the critical section".to_owned(),
            n => format!("{n} in the critical section"),
        }
    })
    .expect("at most one in the critical section", |o: &String| {
        if o.starts_with("both") {
            racelab::explore::Grade::Forbidden
        } else {
            racelab::explore::Grade::Acceptable
        }
    });
    Puzzle {
        name: "boss_fight",
        source: "The Deadlock Empire, level D4-Boss (Boss Fight)",
        scenario: Box::new(scenario),
        verdict: Verdict::Fails(FailureKind::ForbiddenOutcome),
        marks: vec![mark(MarkKind::LostUpdate, Op::Store, "darkness")],
    }
}

crate::puzzle_tests!();
