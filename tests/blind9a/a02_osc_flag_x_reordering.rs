//! Silberschatz, Galvin & Gagne, *Operating System Concepts* (10th ed.),
//! §6.3 "Peterson's Solution" (the example on instruction reordering) and
//! §6.4.1 "Memory Barriers": shared `boolean flag = false; int x = 0;`.
//! Thread 1 runs `while (!flag) ; print x;`, thread 2 runs `x = 100; flag =
//! true;`. The expected output is 100, but "as there are no data
//! dependencies between the variables flag and x, it is possible that a
//! processor may reorder the instructions for Thread 2 so that flag is
//! assigned true before assignment of x = 100", so Thread 1 may print 0 (and
//! Thread 1's own load of x may also be hoisted above its load of flag). The
//! book's fix is a `memory_barrier()` after `x = 100` and after the loop.
//!
//! Transcription: both variables are atomics accessed with `Relaxed` (the
//! closest Rust gets to the book's plain variables without undefined
//! behaviour), and the loop spins with `hint::spin_loop`.
//!
//! # Teacher marks (written before the first run)
//! For the bad execution (thread 1 exits the loop on `flag -> true`, then
//! reads `x -> 0`):
//! - thread 1's `load x -> 0`: `stale_read`: "stale: thread 2's `store x <-
//!   100` came before the flag this thread already saw, but nothing orders
//!   it before this load";
//! - thread 2's `store flag <- true` (Relaxed), or thread 1's `load flag ->
//!   true` (Relaxed) that ended the loop: `no_sync`: "a Relaxed store/load
//!   does not synchronise: the store of x is not ordered before the load of
//!   x; use Release/Acquire (the book's memory barrier)". Either end of the
//!   pair counts as the strict mark.
//!
//! No mark on the spin iterations that read `flag -> false` (polling), nor
//! on `store x <- 100` itself (it is right; it is the one not seen).
//! Expected verdict: loom `forbidden outcome` (printed 0); shuttle runs
//! every atomic as `SeqCst` and cannot see it (0 teacher marks there): it
//! should find nothing, and the report should not claim more than that.

use racelab::explore::{FailureKind, Scenario};
use racelab::sync::atomic::{fence, AtomicBool, AtomicI32, Ordering};
use racelab::sync::{hint, thread, Arc};

use super::common;

/// `load`/`store` orderings for the flag, and whether the book's barriers
/// are in.
fn program(name: &str, store_flag: Ordering, load_flag: Ordering, barriers: bool) -> Scenario<i32> {
    Scenario::new(name, move || {
        let flag = Arc::new(AtomicBool::new(false).named("flag"));
        let x = Arc::new(AtomicI32::new(0).named("x"));
        let (f1, x1) = (Arc::clone(&flag), Arc::clone(&x));
        let thread1 = thread::Builder::new()
            .name("thread1")
            .spawn(move || {
                while !f1.load(load_flag) {
                    hint::spin_loop();
                }
                if barriers {
                    fence(Ordering::SeqCst);
                }
                x1.load(Ordering::Relaxed) // print x
            })
            .unwrap();
        let (f2, x2) = (Arc::clone(&flag), Arc::clone(&x));
        let thread2 = thread::Builder::new()
            .name("thread2")
            .spawn(move || {
                x2.store(100, Ordering::Relaxed);
                if barriers {
                    fence(Ordering::SeqCst);
                }
                f2.store(true, store_flag);
            })
            .unwrap();
        let printed = thread1.join().unwrap();
        thread2.join().unwrap();
        printed
    })
    .expect_only(100)
}

fn racy() -> Scenario<i32> {
    program(
        "blind9a::osc_flag_x_relaxed",
        Ordering::Relaxed,
        Ordering::Relaxed,
        false,
    )
}

/// Control 1: the book's fix, a full memory barrier in each thread.
fn fixed_barriers() -> Scenario<i32> {
    program(
        "blind9a::osc_flag_x_barriers",
        Ordering::Relaxed,
        Ordering::Relaxed,
        true,
    )
}

/// Control 2: no fences, but the flag is stored with `Release` and loaded
/// with `Acquire`.
fn fixed_release_acquire() -> Scenario<i32> {
    program(
        "blind9a::osc_flag_x_release_acquire",
        Ordering::Release,
        Ordering::Acquire,
        false,
    )
}

#[test]
fn racy_loom() {
    let r = common::explore(&racy(), &common::loom());
    r.assert_racy(Some(FailureKind::ForbiddenOutcome));
}

/// shuttle treats every atomic as `SeqCst`: the reordering is invisible.
#[test]
fn racy_shuttle_cannot_see() {
    let r = common::explore(&racy(), &common::shuttle());
    assert!(r.failure.is_none(), "shuttle cannot reorder Relaxed accesses");
}

#[test]
fn fixes_hold() {
    for s in [fixed_barriers(), fixed_release_acquire()] {
        common::explore(&s, &common::loom()).assert_holds();
        common::explore(&s, &common::shuttle()).assert_holds();
    }
}
