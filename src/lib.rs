//! racelab: a race-condition lab. Build racy code on purpose, watch it fail
//! on real threads, have loom and shuttle find the interleaving that breaks
//! it, fix it, prove the fix, and measure what the fix costs.
//!
//! Layers, top to bottom (data flows one way):
//! - scenario code ([`counter`], [`document`], [`check_then_act`], [`deadlock`]) uses only [`sync`];
//! - [`sync`]: one API, three backends (hardware, shuttle, loom) picked at run time;
//! - [`trace`]: what each model execution did, drawn as a timeline;
//! - [`explore`]: runs a scenario on a backend, grades its outcomes, keeps the first bad trace;
//! - front ends: the `racelab` CLI, `tests/`, `labs/`, `benches/`.

// A build with neither model backend keeps the code that only they use.
#![cfg_attr(not(any(feature = "shuttle", feature = "loom")), allow(dead_code, unused_variables))]

pub mod asynchrony;
pub mod bench_report;
pub mod catalogue;
pub mod check_then_act;
pub mod cli;
pub mod cost;
pub mod counter;
pub mod deadlock;
pub mod document;
pub mod explore;
pub mod gil;
pub mod integrate;
pub mod labs;
pub mod ordering;
pub mod process;
pub mod progress;
pub mod scan;
pub mod spinlock;
pub mod stack;
pub mod sync;
pub mod threads;
pub mod trace;

#[doc(hidden)]
pub mod __private {
    #[cfg(feature = "loom")]
    pub use loom;
    #[cfg(feature = "shuttle")]
    pub use shuttle;
}

/// The README's Rust examples, compiled and run as doctests.
#[doc = include_str!("../README.md")]
#[cfg(doctest)]
pub struct ReadmeDoctests;
