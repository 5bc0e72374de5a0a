#![cfg(all(feature = "loom", feature = "shuttle"))]
//! Blind round 12b: eight wrong solutions people really posted to the
//! classic concurrency exercises (LeetCode 1114, 1115, 1117, 1195, 1226,
//! 1242 and a blog's wait/notify tutorial), transcribed by a new user from
//! the README alone. Each module cites the post, states the bug, and the
//! marks a teacher would put, written before the first run; `SCORES.md`
//! grades racelab's marks against them.
//!
//! Run: `cargo test --features loom --test blind12b -- --nocapture --test-threads=1`

#[path = "../support/blind.rs"]
mod common;

mod b01_lc1114_grid47_curval_unlocked_increment;
mod b02_lc1115_leetsolve_if_skips_turn;
mod b03_lc1115_yield_plain_bool_flip;
mod b04_lc1117_sumanbhadra_h2o_unlocked_count;
mod b05_lc1226_tejav_all_right_fork_first;
mod b06_lc1242_ganeshskudva_contains_then_add;
mod b07_blog_wait_if_not_while_four_threads;
mod b08_lc1195_grid47_fizzbuzz_loop_test_unlocked;
