//! **Boolean Flags Are Enough For Everyone** — The Deadlock Empire, level
//! `2-flags` (`js/content/levels.js` in
//! github.com/deadlockempire/deadlockempire.github.io).
//!
//! Each thread: `while (flag != false) {}; flag = true; critical_section();
//! flag = false;` (one round here). Both can leave the wait loop before
//! either sets the flag, and both enter. The critical section is a
//! `fetch_add`/`fetch_sub` on `inside`, which counts who is in it.
//!
//! Teacher's marks: the `flag = true` store acts on a check (`flag` was
//! false) that the other thread acted on too: a stale check. (The final
//! `flag = false` is a blind write: never a lost update.)

use racelab::explore::{FailureKind, Scenario};
use racelab::sync::atomic::{AtomicBool, AtomicU32, Ordering::SeqCst};
use racelab::sync::{hint, Arc};
use racelab::trace::{MarkKind, Op};

use crate::support::{mark, spawn, Puzzle, Verdict};

fn round(flag: &AtomicBool, inside: &AtomicU32) -> bool {
    while flag.load(SeqCst) {
        hint::spin_loop();
    }
    flag.store(true, SeqCst);
    let others = inside.fetch_add(1, SeqCst);
    inside.fetch_sub(1, SeqCst);
    flag.store(false, SeqCst);
    others > 0
}

pub fn puzzle() -> Puzzle {
    let scenario = Scenario::new("puzzles::boolean_flags", || {
        let flag = Arc::new(AtomicBool::new(false).named("flag"));
        let inside = Arc::new(AtomicU32::new(0).named("inside"));
        let (f, i) = (Arc::clone(&flag), Arc::clone(&inside));
        let a = spawn("alice", move || round(&f, &i));
        let (f, i) = (Arc::clone(&flag), Arc::clone(&inside));
        let b = spawn("bob", move || round(&f, &i));
        let overlap = a.join().unwrap() | b.join().unwrap();
        if overlap {
            "both inside at once"
        } else {
            "one at a time"
        }
        .to_owned()
    })
    .expect_only("one at a time".to_owned());
    Puzzle {
        name: "boolean_flags",
        source: "The Deadlock Empire, level 2-flags (Boolean Flags Are Enough For Everyone)",
        scenario: Box::new(scenario),
        verdict: Verdict::Fails(FailureKind::ForbiddenOutcome),
        marks: vec![mark(MarkKind::StaleCheck, Op::Store, "flag")],
    }
}

crate::puzzle_tests!();
