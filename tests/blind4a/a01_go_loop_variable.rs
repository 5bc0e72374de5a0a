//! # a01: a loop variable captured by a goroutine (Go race detector)
//!
//! Source: the Go race detector article (go.dev/doc/articles/race_detector,
//! "Typical Data Races: Race on loop counter"):
//! `for i := 0; i < 5; i++ { go func() { fmt.Println(i) }() }`.
//!
//! Bug: every goroutine closes over the one variable `i` (before Go 1.22),
//! which the loop goes on incrementing. A goroutine reads `i` whenever it
//! happens to run, so it can print a later iteration's value, and its read
//! races with the loop's `i++`. Model: `i` is a racelab `UnsafeCell<u32>`;
//! `main` spawns `w0`, does `i += 1`, spawns `w1`, does `i += 1`; each worker
//! reads `i` once and returns it through `join`. Correct: `w0=0 w1=1`.
//!
//! ## Teacher marks (written before looking at racelab's marks)
//! loom (a data race):
//! 1. `w0`'s read of `i` against `main`'s write `i += 1` made after spawning
//!    `w0` (or `w1`'s read against the second `i += 1`): **data race**. The
//!    spawn orders main's earlier writes before the worker; nothing orders
//!    the later increment with the worker's read. Strict: the mark on the
//!    second of the two accesses, naming the other; lenient: on the first.
//!
//! shuttle (no race detector, a wrong value):
//! 1. the worker's read of `i` that returns a later iteration's value
//!    (`w0` reads 1 or 2): **data race / order violation**: it read main's
//!    increment, meant to come after it, and nothing ordered the two.
//!    Accepted kinds: `data_race`, `order_violation`. A `stale_read` would be
//!    factually wrong (the read got the newest value, not an old one).
//! 2. lenient end: `main`'s increment that the worker read.
//!
//! Spurious: marks on spawn/join, a lost update on `main`'s `i += 1` (main
//! is the only writer), a mark on `w1` if it read its own iteration's value.

use racelab::explore::{Explorer, Scenario};
use racelab::sync::cell::UnsafeCell;
use racelab::sync::{thread, Arc};

use crate::common;

/// The loop variable, shared as Go shares it.
struct LoopVar(UnsafeCell<u32>);

// SAFETY: deliberately unsound (that is the bug under test); every access
// goes through the model's `UnsafeCell`, so loom sees and reports the race.
unsafe impl Sync for LoopVar {}

fn captured() -> Scenario<String> {
    Scenario::new("blind4a::a01_go_loop_variable", || {
        let i = Arc::new(LoopVar(UnsafeCell::new(0).named("i")));
        let mut workers = Vec::new();
        for k in 0..2 {
            let shared = Arc::clone(&i);
            let w = thread::Builder::new()
                .name(format!("w{k}"))
                // SAFETY: see `LoopVar`.
                .spawn(move || shared.0.with(|p| unsafe { *p }))
                .unwrap();
            workers.push(w);
            // SAFETY: see `LoopVar`.
            i.0.with_mut(|p| unsafe { *p += 1 });
        }
        let seen: Vec<u32> = workers.into_iter().map(|w| w.join().unwrap()).collect();
        format!("w0={} w1={}", seen[0], seen[1])
    })
    .expect_only("w0=0 w1=1".to_string())
}

/// The fix Go's article gives: pass `i` as an argument (`go func(i int)`):
/// each worker gets its own copy, and hands its result back through `join`.
fn passed_by_value() -> Scenario<String> {
    Scenario::new("blind4a::a01_go_loop_variable_fixed", || {
        let i = Arc::new(LoopVar(UnsafeCell::new(0).named("i")));
        let mut workers = Vec::new();
        for k in 0..2 {
            // SAFETY: only main touches `i` in the fix.
            let mine = i.0.with(|p| unsafe { *p });
            let w = thread::Builder::new()
                .name(format!("w{k}"))
                .spawn(move || mine)
                .unwrap();
            workers.push(w);
            // SAFETY: only main touches `i` in the fix.
            i.0.with_mut(|p| unsafe { *p += 1 });
        }
        let seen: Vec<u32> = workers.into_iter().map(|w| w.join().unwrap()).collect();
        format!("w0={} w1={}", seen[0], seen[1])
    })
    .expect_only("w0=0 w1=1".to_string())
}

#[test]
fn loom_finds_the_race() {
    common::racy(&captured(), Explorer::loom());
}

#[test]
fn shuttle_finds_a_wrong_value() {
    common::racy(&captured(), Explorer::shuttle());
}

#[test]
fn fix_holds_on_loom() {
    common::holds(&passed_by_value(), Explorer::loom());
}

#[test]
fn fix_holds_on_shuttle() {
    common::holds(&passed_by_value(), Explorer::shuttle());
}
