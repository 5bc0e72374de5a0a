//! **An atomicity violation from MySQL** — OSTEP ch. 32 "Common Concurrency
//! Problems", 32.2, the atomicity-violation example (from Lu et al., ASPLOS
//! 2008): thread 1 `if (thd->proc_info) { fputs(thd->proc_info, ...); }`,
//! thread 2 `thd->proc_info = NULL;`. The check and the use are two reads;
//! the clear can fall between them and thread 1 uses NULL. (`proc_info` is
//! an address here: 0 is NULL.)
//!
//! Teacher's marks: thread 1's second load of `proc_info` (the use), split
//! from its check by the other thread's write: an atomicity violation.

use racelab::explore::{FailureKind, Scenario};
use racelab::sync::atomic::{AtomicUsize, Ordering::SeqCst};
use racelab::sync::Arc;
use racelab::trace::{MarkKind, Op};

use crate::support::{mark_by, spawn, Puzzle, Verdict};

pub fn puzzle() -> Puzzle {
    let scenario = Scenario::new("puzzles::mysql_proc_info", || {
        let proc_info = Arc::new(AtomicUsize::new(0x1000).named("proc_info"));
        let p = Arc::clone(&proc_info);
        let logger = spawn("logger", move || {
            if p.load(SeqCst) != 0 {
                let info = p.load(SeqCst);
                return if info == 0 { "fputs(NULL)" } else { "logged" };
            }
            "skipped"
        });
        let p = Arc::clone(&proc_info);
        let cleaner = spawn("cleaner", move || p.store(0, SeqCst));
        cleaner.join().unwrap();
        logger.join().unwrap()
    })
    .expect("never fputs(NULL)", |o: &&str| {
        if *o == "fputs(NULL)" {
            racelab::explore::Grade::Forbidden
        } else {
            racelab::explore::Grade::Acceptable
        }
    });
    Puzzle {
        name: "mysql_proc_info",
        source: "OSTEP ch. 32 Common Concurrency Problems, atomicity violation (MySQL)",
        scenario: Box::new(scenario),
        verdict: Verdict::Fails(FailureKind::ForbiddenOutcome),
        marks: vec![mark_by(MarkKind::AtomicityViolation, Op::Load, "proc_info", "logger")],
    }
}

crate::puzzle_tests!();
