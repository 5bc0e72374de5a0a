#![cfg(all(feature = "loom", feature = "shuttle"))]
//! Blind round 10a: eight puzzles from Anthony Williams's *C++ Concurrency
//! in Action* (2nd ed., Manning 2019; listings at
//! <https://github.com/anthonywilliams/ccia_code_samples>) and Jeff
//! Preshing's blog (<https://preshing.com>), transcribed into Rust on
//! `racelab::sync` by a new user from the README alone. Each module states
//! its source, the bug, and the marks a teacher would put, written before
//! the first run; `SCORES.md` grades racelab's marks against them.
//!
//! Run: `cargo test --features loom --test blind10a -- --nocapture --test-threads=1`

#[path = "../support/blind.rs"]
mod common;

mod a01_cia_stack_empty_top_pop;
mod a02_cia_swap_lock_order_deadlock;
mod a03_cia_interruptible_wait_lost_notify;
mod a04_cia_transitive_sync_relaxed_middle;
mod a05_cia_lockfree_stack_delete_in_pop;
mod a06_cia_queue_two_locks_no_dummy;
mod a07_cia_spinlock_cas_expected_not_reset;
mod a08_preshing_dcl_missing_acquire_fence;
