#![cfg(all(feature = "loom", feature = "shuttle"))]
//! Blind round 8a: eight classic concurrency puzzles from Herlihy & Shavit's
//! "The Art of Multiprocessor Programming" (chapters 2, 7, 9, 10), Paul
//! McKenney's perfbook (hazard pointers, lock-based existence guarantees)
//! and Herb Sutter's "Effective Concurrency" column, transcribed by a new
//! user from the README alone. Each module states its source, the bug, and
//! the marks a teacher would put, written before the first run;
//! `SCORES.md` grades racelab's marks against them.
//!
//! Run: `cargo test --features loom --test blind8a -- --nocapture --test-threads=1`

#[path = "../support/blind.rs"]
mod common;

mod a01_hs_bakery_no_doorway;
mod a02_hs_clh_reuse_own_node;
mod a03_hs_fine_list_one_lock;
mod a04_hs_bounded_queue_signal_unlocked;
mod a05_hs_lockfree_queue_aba;
mod a06_perfbook_hazptr_no_recheck;
mod a07_perfbook_existence_guarantee;
mod a08_sutter_lockfree_queue_publication;
