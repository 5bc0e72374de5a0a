//! **A semaphore that is never released** — *The Little Book of
//! Semaphores*, 3.4 "Mutex" (a semaphore initialised to 1 used as a lock:
//! every `wait` must be matched by a `signal`), with the error path every
//! code review finds: alice's job fails and she returns early, holding the
//! permit. The semaphore is built from `Mutex` + `Condvar` (`support.rs`),
//! as users build one; its lock and condition variable are both `sem`.
//!
//! Teacher's marks: bob's `blocked on sem`: a deadlock (he waits for a
//! release that no thread that can still run will do).

use racelab::explore::{FailureKind, Scenario};
use racelab::sync::Arc;
use racelab::trace::{MarkKind, Op};

use crate::support::{mark_by, spawn, Puzzle, Semaphore, Verdict};

fn job(sem: &Semaphore, succeeds: bool) -> Result<(), &'static str> {
    sem.acquire();
    if !succeeds {
        return Err("job failed"); // the permit is never released
    }
    sem.release();
    Ok(())
}

pub fn puzzle() -> Puzzle {
    let scenario = Scenario::new("puzzles::semaphore_missing_release", || {
        let sem = Arc::new(Semaphore::new(1, "sem"));
        let s = Arc::clone(&sem);
        let alice = spawn("alice", move || job(&s, false));
        let s = Arc::clone(&sem);
        let bob = spawn("bob", move || job(&s, true));
        let (a, b) = (alice.join().unwrap(), bob.join().unwrap());
        format!("alice {a:?}, bob {b:?}")
    });
    Puzzle {
        name: "semaphore_missing_release",
        source: "Little Book of Semaphores 3.4 Mutex",
        scenario: Box::new(scenario),
        verdict: Verdict::Fails(FailureKind::Deadlock),
        marks: vec![mark_by(MarkKind::Deadlock, Op::Blocked, "sem", "bob")],
    }
}

crate::puzzle_tests!();
