#![cfg(all(feature = "loom", feature = "shuttle"))]
//! Blind round 6b: eight concurrency puzzles from real Rust bug reports and
//! advisories (tokio, parking_lot, std's `Arc`), the Linux kernel's
//! `Documentation/memory-barriers.txt`, Downey's *Little Book of Semaphores*
//! and *Java Concurrency in Practice*, transcribed by a new user from the
//! README alone. Each module states its source, the bug, and the marks a
//! teacher would put, written before the first run; `SCORES.md` grades
//! racelab's marks against them.
//!
//! Run: `cargo test --features loom --test blind6b -- --nocapture --test-threads=1`

#[path = "../support/blind.rs"]
mod common;

mod b01_lbos_cigarette_smokers;
mod b02_lbos_sushi_bar;
mod b03_tokio_oneshot_close;
mod b04_kernel_sleep_wakeup;
mod b05_jcip_caching_factorizer;
mod b06_parking_lot_notify_after_unlock;
mod b07_rust_arc_get_mut_weak;
mod b08_jcip_cooperating_deadlock;
