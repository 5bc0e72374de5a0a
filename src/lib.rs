//! racelab: a race-condition lab. Build racy code on purpose, watch it fail
//! on real threads, have loom and shuttle find the interleaving that breaks
//! it, fix it, prove the fix, and measure what the fix costs.
//!
//! # Layers
//! Top to bottom; data flows one way:
//! - scenario code (the topics below, and the student's lab files) uses only [`sync`];
//! - [`sync`]: std's synchronisation API (and a counting `Semaphore`) on three backends (hardware,
//!   shuttle, loom), picked at run time; every operation under a model is an event (and a `SeqCst`
//!   atomic load or store runs as a read-modify-write under loom, which otherwise models it as
//!   acquire/release; atomics and cells record where in the scenario's source they were called;
//!   under loom only every other yield of a thread gives the processor up, so a spinner may retry
//!   at once, which loom's own yield never lets it);
//! - [`trace`]: what each model execution did, drawn as a timeline; [`trace::explain`] marks the
//!   steps that explain a failure by general rules over the trace alone (happens-before as vector
//!   clocks, lost updates, stale checks, atomicity violations, order violations, stale reads, data
//!   races, wait-for cycles), each mark with its [`trace::MarkKind`]; a loom trace is first put in
//!   an order a sequentially consistent machine could run, when one exists ([`trace::sc_order`]);
//! - [`explore`]: runs a scenario on a backend (a model on a thread of its own, watched: one stuck in
//!   code the model cannot see is reported, not waited for), grades its outcomes, keeps the clearest
//!   bad trace with the fewest preemptions (loom explores bound 0, 1, 2, ... once the bug is found),
//!   says when a run saw nothing shared (`vacuous`), and sets aside what only loom's approximations
//!   produce (an execution no `SeqCst` machine can run; a step limit reached while still progressing);
//!   an outcome is any `Display` value, or any `Debug` one wrapped in [`explore::Shown`];
//! - front ends: the `racelab` CLI ([`cli`]), `tests/`, `labs/` (run through [`labs`]), `benches/`,
//!   and [`model()`] for a user's own code.
//!
//! # Map
//! - The facade and the harness: [`sync`], [`trace`], [`explore`], and [`catalogue`] (every
//!   scenario and demo by name).
//! - Checking your own code: [`model()`], a drop-in for `loom::model` that runs a closure under
//!   shuttle and loom and panics with the failing timeline and a replay key; [`model::Builder`]
//!   for its bounds.
//! - Topics, each a racy baseline beside its fixes: [`threads`], [`gil`], [`integrate`],
//!   [`progress`], [`process`], [`asynchrony`] (the lecture's first half and asyncio);
//!   [`counter`], [`document`], [`check_then_act`], [`deadlock`] (race conditions and locks);
//!   [`ordering`], [`spinlock`], [`stack`] (memory ordering and lock-free code).
//! - The student labs: [`labs`] (the catalogue in `labs/labs.toml`, progress, variants, and running
//!   a check in a child process that can always be stopped) and [`scan`] (finding, in a student's
//!   file, the types the models cannot see).
//! - Measuring: [`cost`] (the counter's cost ladder on real primitives) and [`bench_report`]
//!   (criterion's results to `BENCHMARKS.md`).
//! - `.cargo/vendor/loom`: loom 0.7.3 with the fix for tokio-rs/loom#254 (a store slipping inside a
//!   read-modify-write), until a loom release has it.
//! - `tests/puzzles/`: thirty classic concurrency puzzles from public sources (none from the
//!   catalogue), each with its verdict and the marks a teacher would put, under loom and shuttle.
//! - `tests/blind*/`: rounds of puzzles transcribed by testers who never read the explanation
//!   engine, with the marks a teacher would put written before the first run, and their scores.

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
pub mod model;
pub mod ordering;
pub mod process;
pub mod progress;
pub mod scan;
pub mod spinlock;
pub mod stack;
pub mod sync;
pub mod threads;
pub mod trace;

pub use model::model;

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
