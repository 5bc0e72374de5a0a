#![cfg(all(feature = "loom", feature = "shuttle"))]
//! Blind test 3a: eight classic concurrency bugs from The Deadlock Empire
//! (deadlockempire.github.io) and the jcstress samples (openjdk/jcstress),
//! transcribed by a new user of racelab from the README and the public API
//! docs alone. Each module's doc comment lists the marks a teacher would put
//! on the failing timeline, written before racelab was run; `SCORES.md`
//! grades racelab's marks against them.
//!
//! Run: `cargo test --features loom --test blind3a -- --nocapture --test-threads=1`

mod common;

mod a01_insufficient_lock;
mod a02_more_complex_thread;
mod a03_condition_variables;
mod a04_countdown_event;
mod a05_access_atomicity;
mod a06_acqrel_dekker;
mod a07_benign_race;
mod a08_semaphores;
