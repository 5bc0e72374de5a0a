//! **Peterson's algorithm, two flavours** — jcstress-samples,
//! `concurrency/mutex/Mutex_02_PetersonAlgorithm.java` (openjdk/jcstress),
//! where the flags and `turn` are `volatile` (Java's `SeqCst`).
//!
//! Each thread: `flag[me] = true; turn = other; while (flag[other] && turn
//! == other) {}; critical section; flag[me] = false`. The critical section
//! writes a plain `UnsafeCell` (`room`), so loom reports two threads inside
//! at once as a data race.
//!
//! * `release_acquire` (broken, **loom only**): Release stores and Acquire
//!   loads do not order a store before a later load of another location
//!   (store buffering): each thread can read the other's flag as `false`
//!   and both enter. Shuttle runs every atomic as `SeqCst` and cannot see
//!   it. Teacher's marks: the load of the other thread's flag that returns
//!   the stale `false` (which flag depends on the interleaving), and the
//!   data race on `room`.
//! * `seqcst` (correct): every access `SeqCst`, as in the jcstress sample.
//!   Real `SeqCst` puts every access in one total order, so a thread's load
//!   of the other's flag reads its latest store and synchronises with it.
//!   loom alone models `SeqCst` loads and stores as Acquire/Release
//!   (tokio-rs/loom#180) and would let the load read the initial `false`,
//!   reporting a data race no `SeqCst` machine shows; racelab's atomics run
//!   such loads and stores as read-modify-writes under loom, so it holds on
//!   both backends, as it should.

use racelab::explore::{FailureKind, Scenario};
use racelab::sync::atomic::{AtomicBool, AtomicU8, Ordering};
use racelab::sync::cell::UnsafeCell;
use racelab::sync::{hint, Arc};
use racelab::trace::{MarkKind, Op};

use crate::support::{mark, Puzzle, Verdict};

struct Peterson {
    flags: [AtomicBool; 2],
    turn: AtomicU8,
    room: UnsafeCell<u32>,
}

// SAFETY: `room` is only touched inside the critical section (that is the
// claim loom checks).
unsafe impl Sync for Peterson {}

fn visit(p: &Peterson, me: usize, store: Ordering, load: Ordering) {
    let other = 1 - me;
    p.flags[me].store(true, store);
    p.turn.store(other as u8, store);
    while p.flags[other].load(load) && p.turn.load(load) == other as u8 {
        hint::spin_loop();
    }
    p.room.with_mut(|r| unsafe { *r += 1 });
    p.flags[me].store(false, store);
}

fn scenario(name: &'static str, store: Ordering, load: Ordering) -> Scenario<u32> {
    Scenario::new(name, move || {
        let p = Arc::new(Peterson {
            flags: [
                AtomicBool::new(false).named("flag_a"),
                AtomicBool::new(false).named("flag_b"),
            ],
            turn: AtomicU8::new(0).named("turn"),
            room: UnsafeCell::new(0).named("room"),
        });
        let q = Arc::clone(&p);
        let a = crate::support::spawn("alice", move || visit(&q, 0, store, load));
        let q = Arc::clone(&p);
        let b = crate::support::spawn("bob", move || visit(&q, 1, store, load));
        a.join().unwrap();
        b.join().unwrap();
        p.room.with(|r| unsafe { *r })
    })
    .expect_only(2)
}

pub mod release_acquire {
    use super::*;

    pub fn puzzle() -> Puzzle {
        Puzzle {
            name: "peterson::release_acquire",
            source: "jcstress-samples Mutex_02_PetersonAlgorithm, with Release/Acquire instead of volatile",
            scenario: Box::new(scenario(
                "puzzles::peterson_release_acquire",
                Ordering::Release,
                Ordering::Acquire,
            )),
            verdict: Verdict::LoomOnly(FailureKind::DataRace),
            marks: vec![
                mark(MarkKind::StaleRead, Op::Load, "flag_a|flag_b"),
                mark(MarkKind::DataRace, Op::CellWrite, "room"),
            ],
        }
    }

    crate::puzzle_tests!();
}

pub mod seqcst {
    use super::*;

    pub fn puzzle() -> Puzzle {
        Puzzle {
            name: "peterson::seqcst",
            source: "jcstress-samples Mutex_02_PetersonAlgorithm (volatile = SeqCst)",
            scenario: Box::new(scenario("puzzles::peterson_seqcst", Ordering::SeqCst, Ordering::SeqCst)),
            verdict: Verdict::Holds,
            marks: vec![],
        }
    }

    crate::puzzle_tests!();
}
