//! **Confused Counter** — The Deadlock Empire, level `4-confusedCounter`
//! (`js/content/levels.js` in github.com/deadlockempire/deadlockempire.github.io).
//!
//! Both threads run `first = first + 1; second = second + 1;` then
//! `if (second == 2 && first != 2) failure`. Each `x = x + 1` is a load and
//! a store. The failure needs `first` to lose an increment while `second`
//! keeps both.
//!
//! Teacher's marks: the store to `first` that overwrites the other thread's
//! increment is a lost update.

use racelab::explore::Scenario;
use racelab::sync::atomic::{AtomicI32, Ordering::SeqCst};
use racelab::sync::Arc;
use racelab::trace::{MarkKind, Op};

use crate::support::{mark, spawn, Puzzle, Verdict};

fn increment(x: &AtomicI32) {
    let v = x.load(SeqCst);
    x.store(v + 1, SeqCst);
}

fn thread_body(first: &AtomicI32, second: &AtomicI32) -> bool {
    increment(first);
    increment(second);
    second.load(SeqCst) == 2 && first.load(SeqCst) != 2
}

pub fn puzzle() -> Puzzle {
    let scenario = Scenario::new("puzzles::confused_counter", || {
        let first = Arc::new(AtomicI32::new(0).named("first"));
        let second = Arc::new(AtomicI32::new(0).named("second"));
        let (f, s) = (Arc::clone(&first), Arc::clone(&second));
        let a = spawn("alice", move || thread_body(&f, &s));
        let (f, s) = (Arc::clone(&first), Arc::clone(&second));
        let b = spawn("bob", move || thread_body(&f, &s));
        let failed = a.join().unwrap() | b.join().unwrap();
        if failed { "failure reached" } else { "no failure" }.to_owned()
    })
    .expect_only("no failure".to_owned());
    Puzzle {
        name: "confused_counter",
        source: "The Deadlock Empire, level 4-confusedCounter",
        scenario: Box::new(scenario),
        verdict: Verdict::Fails(racelab::explore::FailureKind::ForbiddenOutcome),
        marks: vec![mark(MarkKind::LostUpdate, Op::Store, "first")],
    }
}

crate::puzzle_tests!();
