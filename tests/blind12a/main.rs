#![cfg(all(feature = "loom", feature = "shuttle"))]
//! Blind round 12a: eight concurrency bugs from the Rust ecosystem and from
//! Mara Bos' *Rust Atomics and Locks*: a `spin` advisory, rayon's sleep
//! protocol, a crossbeam-channel segfault, a dashmap advisory, and four
//! exercises from chapters 1, 2, 5 and 8 of the book. Each was transcribed by
//! a new user onto `racelab::sync` from the README alone. Each module states
//! its source, the bug, and the marks a teacher would put, written before the
//! first run; `SCORES.md` grades racelab's marks against them.
//!
//! Run: `cargo test --features loom --test blind12a -- --nocapture --test-threads=1`

#[path = "../support/blind.rs"]
mod common;

mod a01_spin148_try_call_once_err_reset;
mod a02_rayon_sleep_missing_seqcst_fences;
mod a03_crossbeam972_list_channel_two_step_init;
mod a04_dashmap167_ref_value_escapes_shard_lock;
mod a05_ral2_statistics_three_relaxed_atomics;
mod a06_ral5_oneshot_in_use_load_then_store;
mod a07_ral8_futex_wait_check_outside_lock;
mod a08_ral1_if_let_guard_lifetime_deadlock;
