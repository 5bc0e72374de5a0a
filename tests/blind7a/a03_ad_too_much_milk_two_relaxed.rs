//! **Anderson & Dahlin, "Too Much Milk", solution 2 (two notes), on a
//! machine that reorders.**
//!
//! Source: T. Anderson and M. Dahlin, *Operating Systems: Principles and
//! Practice* (2nd ed., 2014), §5.2 "Too much milk", Solution 2, and the
//! "Simplifying assumption" box before Solution 1 (p. 185,
//! <https://fliphtml5.com/wbavl/ladu/Operating_system_Principles_and_practice/196>):
//! "we assume that the instructions are executed in exactly the order
//! written—neither the compiler nor the architecture reorders instructions.
//! ... many modern compilers and architectures will violate it ... one would
//! also have to use memory barriers to constrain such reordering."
//!
//! The program: roommate A runs `noteA = 1; if (!noteB) { if (!milk) milk++; }
//! noteA = 0;`, roommate B the mirror image. Transcribed as a C programmer
//! on a modern machine would get it: every access `Relaxed` (plain loads and
//! stores). Buying is one action (`fetch_add`).
//!
//! The bug: the book proves Solution 2 safe under its assumption (each
//! roommate sees the other's note if the other left it first). Without the
//! assumption it is store buffering: alice's `noteA = 1` is still in her
//! store buffer when bob reads `noteA`, and vice versa; both read the other
//! note as 0 and both buy: milk == 2. Release/Acquire does not forbid it
//! either; only `SeqCst` (or a full fence between the store and the load on
//! both sides) does. milk == 0 (both see the other's note) is the liveness
//! weakness the book discusses: graded interesting, not forbidden.
//!
//! Expected bad execution (loom): alice `store noteA <- 1`, bob
//! `store noteB <- 1`, alice `load noteB -> 0`, bob `load noteA -> 0`, both
//! `load milk -> 0` and `fetch_add milk`. No sequentially consistent order
//! has both note loads read 0, so the timeline should stay as loom ran it.
//!
//! **Teacher marks** (loom: 2; shuttle: 0, it runs atomics as `SeqCst` and
//! cannot see store buffering, and should say so):
//! 1. alice's `load noteB -> 0` (Relaxed): kind `stale_read` (or `no_sync`):
//!    "stale: bob wrote noteB <- 1 at step N; this Relaxed load does not
//!    synchronise with it (store buffering: needs SeqCst on both sides)".
//! 2. bob's `load noteA -> 0` (Relaxed): the same, with alice's
//!    `store noteA <- 1`.
//!    If the shown order puts one note load before the other thread's store
//!    (so that one read the latest value in the shown order), that load's
//!    mark is still due (the pair only fails together), but only with a
//!    text that says it is half of a store-buffering pair.
//!
//! No mark belongs on: the note removals (`store <- 0`), the milk checks
//! and purchases as such (they follow from the notes; a mark saying the
//! second purchase acts on a stale check is true and not spurious), the
//! spawns and joins.
//!
//! Controls: (1) the notes `SeqCst` (the book's assumption made explicit),
//! milk still `Relaxed`; (2) Relaxed notes with `SeqCst` fences (the
//! "memory barriers" the book mentions): between each roommate's store and
//! load, after the load, and before the note is removed. (Changed after the
//! first run: with only the first fence the control failed, rightly: the
//! purchase is also published through the note removal; see SCORES.md.)

use racelab::explore::{FailureKind, Grade, Scenario};
use racelab::sync::atomic::{
    fence, AtomicU32, Ordering, Ordering::Acquire, Ordering::Relaxed, Ordering::Release, Ordering::SeqCst,
};
use racelab::sync::{thread, Arc};

use crate::common;

fn grade(o: &str) -> Grade {
    match o {
        "milk = 1" => Grade::Acceptable,
        "milk = 0" => Grade::Interesting,
        _ => Grade::Forbidden,
    }
}

/// How a roommate's notes are written and read.
#[derive(Clone, Copy)]
struct Notes {
    store: Ordering,
    load: Ordering,
    /// `SeqCst` fences: after leaving the note (store buffering), after
    /// reading the other's (acquire side), before removing mine (release
    /// side).
    fences: bool,
}

/// One roommate: leave my note, buy if the other's note is down and there
/// is no milk, remove my note.
fn roommate(mine: &AtomicU32, other: &AtomicU32, milk: &AtomicU32, n: Notes) {
    mine.store(1, n.store);
    if n.fences {
        fence(SeqCst);
    }
    let other_note = other.load(n.load);
    if n.fences {
        fence(SeqCst);
    }
    if other_note == 0 && milk.load(Relaxed) == 0 {
        milk.fetch_add(1, Relaxed);
    }
    if n.fences {
        fence(SeqCst);
    }
    mine.store(0, n.store);
}

fn two_notes(name: &'static str, n: Notes) -> Scenario<String> {
    Scenario::new(name, move || {
        let milk = Arc::new(AtomicU32::new(0).named("milk"));
        let note_a = Arc::new(AtomicU32::new(0).named("noteA"));
        let note_b = Arc::new(AtomicU32::new(0).named("noteB"));
        let (m, na, nb) = (Arc::clone(&milk), Arc::clone(&note_a), Arc::clone(&note_b));
        let alice = thread::Builder::new()
            .name("alice")
            .spawn(move || roommate(&na, &nb, &m, n))
            .unwrap();
        let (m, na, nb) = (Arc::clone(&milk), Arc::clone(&note_a), Arc::clone(&note_b));
        let bob = thread::Builder::new()
            .name("bob")
            .spawn(move || roommate(&nb, &na, &m, n))
            .unwrap();
        alice.join().unwrap();
        bob.join().unwrap();
        format!("milk = {}", milk.load(Relaxed))
    })
    .expect("milk = 1 (milk = 0 is the book's liveness weakness)", |o: &String| {
        grade(o)
    })
}

const RELAXED: Notes = Notes {
    store: Relaxed,
    load: Relaxed,
    fences: false,
};

fn racy() -> Scenario<String> {
    two_notes("blind7a::too_much_milk_2_relaxed", RELAXED)
}

#[test]
fn racy_loom() {
    common::explore(&racy(), &common::loom()).assert_racy(Some(FailureKind::ForbiddenOutcome));
}

/// shuttle runs every atomic as `SeqCst`: store buffering is out of its
/// reach, so it finds nothing (the right answer for what it can see).
#[test]
fn racy_shuttle_cannot_see_it() {
    let report = common::explore(&racy(), &common::shuttle());
    assert!(!report.found_failure(), "shuttle cannot produce store buffering");
}

#[test]
fn seqcst_notes_hold() {
    let s = two_notes(
        "blind7a::too_much_milk_2_seqcst",
        Notes {
            store: SeqCst,
            load: SeqCst,
            fences: false,
        },
    );
    common::explore(&s, &common::loom()).assert_holds();
    common::explore(&s, &common::shuttle()).assert_holds();
}

#[test]
fn fences_hold() {
    let s = two_notes(
        "blind7a::too_much_milk_2_fences",
        Notes {
            fences: true,
            ..RELAXED
        },
    );
    common::explore(&s, &common::loom()).assert_holds();
    common::explore(&s, &common::shuttle()).assert_holds();
}

/// **Added after the first run** (not in the graded totals). loom's first
/// timeline showed message passing through the note *removal*, not store
/// buffering, and its mark advised "Release on the store ... and Acquire
/// here". Following that advice (notes stored with `Release`, read with
/// `Acquire`) leaves the store-buffering half of the bug. Teacher marks,
/// written before running this variant: alice's `load noteB -> 0` and bob's
/// `load noteA -> 0`, each `stale_read` or `no_sync`, saying that
/// Release/Acquire does not order a store before a later load (both sides
/// need `SeqCst`, or a `SeqCst` fence between the store and the load).
#[test]
fn release_acquire_still_racy_loom() {
    let s = two_notes(
        "blind7a::too_much_milk_2_release_acquire",
        Notes {
            store: Release,
            load: Acquire,
            fences: false,
        },
    );
    common::explore(&s, &common::loom()).assert_racy(Some(FailureKind::ForbiddenOutcome));
}
