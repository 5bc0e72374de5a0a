//! **Dining philosophers, two flavours** — Dijkstra; *The Little Book of
//! Semaphores* (Allen Downey), 4.4 "Dining philosophers"; jcstress-samples
//! `concurrency/classic/ClassicProblem_01_DiningPhilosophers.java`.
//! Three philosophers, three forks (mutexes `fork0`..`fork2`).
//!
//! * `naive` (broken): everyone takes the left fork, then the right. All
//!   three can hold their left fork and wait for the right one: a cycle.
//!   Teacher's marks: each philosopher's `blocked on` its right fork is
//!   part of the wait-for cycle (a deadlock mark on every fork).
//! * `lefty` (correct): the Little Book's asymmetric solution (4.4.2): one
//!   philosopher takes the right fork first, so no cycle can form.

use racelab::explore::{FailureKind, Scenario};
use racelab::sync::{Arc, Mutex};
use racelab::trace::{MarkKind, Op};

use crate::support::{mark, spawn, Puzzle, Verdict};

const NAMES: [&str; 3] = ["aristotle", "kant", "spinoza"];

fn scenario(name: &'static str, lefty: bool) -> Scenario<&'static str> {
    Scenario::new(name, move || {
        let forks = Arc::new([
            Mutex::new(()).named("fork0"),
            Mutex::new(()).named("fork1"),
            Mutex::new(()).named("fork2"),
        ]);
        let handles: Vec<_> = (0..3)
            .map(|i| {
                let forks = Arc::clone(&forks);
                spawn(NAMES[i], move || {
                    let (left, right) = (i, (i + 1) % 3);
                    let (first, second) = if lefty && i == 2 { (right, left) } else { (left, right) };
                    let _a = forks[first].lock().unwrap();
                    let _b = forks[second].lock().unwrap();
                    // eat
                })
            })
            .collect();
        for h in handles {
            h.join().unwrap();
        }
        "everyone ate"
    })
}

pub mod naive {
    use super::*;

    pub fn puzzle() -> Puzzle {
        Puzzle {
            name: "dining_philosophers::naive",
            source: "Little Book of Semaphores 4.4; jcstress ClassicProblem_01_DiningPhilosophers",
            scenario: Box::new(scenario("puzzles::dining_naive", false)),
            verdict: Verdict::Fails(FailureKind::Deadlock),
            marks: vec![
                mark(MarkKind::Deadlock, Op::Blocked, "fork0"),
                mark(MarkKind::Deadlock, Op::Blocked, "fork1"),
                mark(MarkKind::Deadlock, Op::Blocked, "fork2"),
            ],
        }
    }

    crate::puzzle_tests!();
}

pub mod lefty {
    use super::*;

    pub fn puzzle() -> Puzzle {
        Puzzle {
            name: "dining_philosophers::lefty",
            source: "Little Book of Semaphores 4.4.2, asymmetric solution",
            scenario: Box::new(scenario("puzzles::dining_lefty", true)),
            verdict: Verdict::Holds,
            marks: vec![],
        }
    }

    crate::puzzle_tests!();
}
