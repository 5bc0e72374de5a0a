#![cfg(all(feature = "loom", feature = "shuttle"))]
//! Blind round 6a: eight classic concurrency puzzles from public teaching
//! and bug sources (the Go blog and memory model, Uber's study of data races
//! in Go, CMU 15-213, cppreference, MIT 6.005, Hyman's 1966 algorithm),
//! transcribed by a new user from the README alone. Each module states its
//! source, the bug, and the marks a teacher would put, written before the
//! first run; `SCORES.md` grades racelab's marks against them.
//!
//! Run: `cargo test --features loom --test blind6a -- --nocapture --test-threads=1`

#[path = "../support/blind.rs"]
mod common;

mod a01_goblog_timer_reset;
mod a02_gomm_double_checked_once;
mod a03_uber_err_capture;
mod a04_uber_waitgroup_add_in_goroutine;
mod a05_cmu_semaphore_deadlock;
mod a06_cppref_broken_release_sequence;
mod a07_mit_synchronized_list_check_then_get;
mod a08_hyman_mutual_exclusion;
