#![cfg(all(feature = "loom", feature = "shuttle"))]
//! Blind round 7a: eight classic concurrency puzzles from public teaching
//! sources (The Deadlock Empire, Anderson & Dahlin's "Operating Systems:
//! Principles and Practice", UC Berkeley CS 162, the LLNL POSIX threads
//! tutorial, Python's documentation and mailing list), transcribed by a new
//! user from the README alone. Each module states its source, the bug, and
//! the marks a teacher would put, written before the first run; `SCORES.md`
//! grades racelab's marks against them.
//!
//! Run: `cargo test --features loom --test blind7a -- --nocapture --test-threads=1`

#[path = "../support/blind.rs"]
mod common;

mod a01_de_semaphore_producer_consumer;
mod a02_ad_too_much_milk_one;
mod a03_ad_too_much_milk_two_relaxed;
mod a04_cs162_semaphore_as_condvar;
mod a05_llnl_bug4_unconditional_wait;
mod a06_llnl_bug6_dotprod_sum;
mod a07_python_queue_empty_then_get;
mod a08_python_dict_of_lists;
