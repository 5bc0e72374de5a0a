#![cfg(all(feature = "loom", feature = "shuttle"))]
//! Blind round 9a: eight synchronisation puzzles from the operating-systems
//! textbooks (Silberschatz, Galvin & Gagne's *Operating System Concepts*,
//! Tanenbaum's *Modern Operating Systems*, Stallings' *Operating Systems:
//! Internals and Design Principles*), transcribed by a new user from the
//! README alone. Each module states its source, the bug, and the marks a
//! teacher would put, written before the first run; `SCORES.md` grades
//! racelab's marks against them.
//!
//! Run: `cargo test --features loom --test blind9a -- --nocapture --test-threads=1`

#[path = "../support/blind.rs"]
mod common;

mod a01_osc_counter_increment_decrement;
mod a02_osc_flag_x_reordering;
mod a03_osc_semaphore_signal_before_wait;
mod a04_mos_sleep_wakeup_fatal_race;
mod a05_mos_bounded_buffer_downs_reversed;
mod a06_stallings_dekker_third_attempt;
mod a07_stallings_infinite_buffer_binary_semaphores;
mod a08_mos_peterson_assignments_swapped;
