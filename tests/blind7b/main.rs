#![cfg(all(feature = "loom", feature = "shuttle"))]
//! Blind round 7b: eight concurrency puzzles from public sources (Mara Bos,
//! "Rust Atomics and Locks", chapters 3, 4, 6 and 9; tokio and rust-lang/rust
//! issues; The Little Book of Semaphores), transcribed by a new user from the
//! README alone. Each module states its source, the bug, and the marks a
//! teacher would put, written before the first run; `SCORES.md` grades
//! racelab's marks against them.
//!
//! Run: `cargo test --features loom --test blind7b -- --nocapture --test-threads=1`

#[path = "../support/blind.rs"]
mod common;

mod b01_ral_spinlock_unlock_too_early;
mod b02_ral_lazy_box_relaxed_failure;
mod b03_ral_rwlock_writer_no_recheck;
mod b04_tokio_notify_waiters_store;
mod b05_rust_arc_strong_count_relaxed;
mod b06_lbos_dining_savages_cook_mutex;
mod b07_lbos_search_insert_delete_rwlock;
mod b08_lbos_unisex_bathroom_lightswitch;
