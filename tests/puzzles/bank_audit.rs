//! **A bank audit that reads a torn snapshot** — the two-account transfer
//! with one lock per account, as in Harris, Marlow, Peyton Jones and
//! Herlihy, "Composable Memory Transactions" (PPoPP 2005), §2, and the
//! perfbook discussion of per-object locking: each account is locked for
//! each access, but a transfer's debit and credit, and an audit's two reads,
//! are separate critical sections. The audit can see money in flight.
//!
//! The clerk moves 10 from `acct_a` to `acct_b`; the auditor reads
//! `acct_a`, then `acct_b`, and expects the total, 200.
//!
//! Teacher's marks: the auditor's read (a traced lock) of an account that
//! does not belong to the same moment as its other read: the two halves of
//! the snapshot, split by the transfer: an atomicity violation.

use racelab::explore::{FailureKind, Scenario};
use racelab::sync::{Arc, Mutex};
use racelab::trace::{MarkKind, Op};

use crate::support::{mark_by, spawn, Puzzle, Verdict};

pub fn puzzle() -> Puzzle {
    let scenario = Scenario::new("puzzles::bank_audit", || {
        let accounts = Arc::new((
            Mutex::new(100i64).named("acct_a").traced(),
            Mutex::new(100i64).named("acct_b").traced(),
        ));
        let acc = Arc::clone(&accounts);
        let clerk = spawn("clerk", move || {
            *acc.0.lock().unwrap() -= 10;
            *acc.1.lock().unwrap() += 10;
        });
        let acc = Arc::clone(&accounts);
        let auditor = spawn("auditor", move || {
            let a = *acc.0.lock().unwrap();
            let b = *acc.1.lock().unwrap();
            a + b
        });
        clerk.join().unwrap();
        auditor.join().unwrap()
    })
    .expect_only(200);
    Puzzle {
        name: "bank_audit",
        source: "Harris et al., Composable Memory Transactions (2005) §2; per-account locks",
        scenario: Box::new(scenario),
        verdict: Verdict::Fails(FailureKind::ForbiddenOutcome),
        marks: vec![mark_by(
            MarkKind::AtomicityViolation,
            Op::Lock,
            "acct_a|acct_b",
            "auditor",
        )],
    }
}

crate::puzzle_tests!();
