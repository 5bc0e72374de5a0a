//! **A rendezvous that deadlocks, through channels** — *The Little Book of
//! Semaphores*, 3.3 "Rendezvous", the deadlocking attempt (3.3.2): each
//! thread waits for the other's arrival before announcing its own
//! (`bArrived.wait(); aArrived.signal()` / `aArrived.wait();
//! bArrived.signal()`), here with one channel per announcement. Each thread
//! blocks in `recv` first: nobody ever sends.
//!
//! Channels cannot be named, so their target is where they were created
//! (`rendezvous_channels.rs:LINE`).
//!
//! Teacher's marks: both threads' `blocked on` their channel: a deadlock.

use racelab::explore::{FailureKind, Scenario};
use racelab::sync::mpsc;
use racelab::trace::{MarkKind, Op};

use crate::support::{mark_by, spawn, Puzzle, Verdict};

pub fn puzzle() -> Puzzle {
    let scenario = Scenario::new("puzzles::rendezvous_channels", || {
        let (a_arrived_tx, a_arrived_rx) = mpsc::channel::<()>();
        let (b_arrived_tx, b_arrived_rx) = mpsc::channel::<()>();
        let a = spawn("alice", move || {
            b_arrived_rx.recv().unwrap();
            a_arrived_tx.send(()).unwrap();
        });
        let b = spawn("bob", move || {
            a_arrived_rx.recv().unwrap();
            b_arrived_tx.send(()).unwrap();
        });
        a.join().unwrap();
        b.join().unwrap();
        "met"
    });
    Puzzle {
        name: "rendezvous_channels",
        source: "Little Book of Semaphores 3.3 Rendezvous (the deadlocking attempt)",
        scenario: Box::new(scenario),
        verdict: Verdict::Fails(FailureKind::Deadlock),
        marks: vec![
            mark_by(MarkKind::Deadlock, Op::Blocked, "rendezvous_channels.rs:*", "alice"),
            mark_by(MarkKind::Deadlock, Op::Blocked, "rendezvous_channels.rs:*", "bob"),
        ],
    }
}

crate::puzzle_tests!();
