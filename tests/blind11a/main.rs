#![cfg(all(feature = "loom", feature = "shuttle"))]
//! Blind round 11a: eight exam-style puzzles from university operating-systems
//! and concurrency courses (Stanford CS110, UW CSE 332, Cornell CS 4410,
//! Georgia Tech CS 6210, CS:APP as taught in Rice COMP 321, MIT 6.1810's xv6
//! book, Tufts COMP 111), transcribed by a new user from the README alone.
//! Each module states its source, the bug, and the marks a teacher would put,
//! written before the first run; `SCORES.md` grades racelab's marks against
//! them.
//!
//! Run: `cargo test --features loom --test blind11a -- --nocapture --test-threads=1`

#[path = "../support/blind.rs"]
mod common;

mod a01_cs110_confused_ticket_agents;
mod a02_cse332_peek_helper_is_empty;
mod a03_cs4410_readers_writers_early_v;
mod a04_gt6210_counting_barrier_reset;
mod a05_csapp_comp321_semaphore_t_zero;
mod a06_xv6_push_release_without_barrier;
mod a07_cs110_permits_notify_one;
mod a08_tufts_comp111_two_phase_lock_order;
