#![cfg(all(feature = "loom", feature = "shuttle"))]
//! Blind round 5a: eight classic concurrency puzzles from public teaching
//! sources, transcribed by a new user from the README alone. Each module
//! states its source, the bug, and the marks a teacher would put, written
//! before the first run; `SCORES.md` grades racelab's marks against them.
//!
//! Run: `cargo test --features loom --test blind5a -- --nocapture --test-threads=1`

#[path = "../support/blind.rs"]
mod common;

mod a01_ostep_flag_lock;
mod a02_ostep_one_cv;
mod a03_lbos_rendezvous;
mod a04_ral_oneshot_relaxed;
mod a05_jcip_number_range;
mod a06_jcip_vector_getlast;
mod a07_perfbook_count;
mod a08_ostep_order_violation;
