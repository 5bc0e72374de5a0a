#![cfg(all(feature = "loom", feature = "shuttle"))]
//! Blind round 8b: eight concurrency puzzles from public sources (Tu, Liu,
//! Song and Zhang, "Understanding Real-World Concurrency Bugs in Go", ASPLOS
//! 2019; Joseph Albahari, "Threading in C#"; the JDK bug database and Bloch
//! and Gafter's Java puzzlers), transcribed by a new user from the README
//! alone. Each module states its source, the bug, and the marks a teacher
//! would put, written before the first run; `SCORES.md` grades racelab's
//! marks against them.
//!
//! Run: `cargo test --features loom --test blind8b -- --nocapture --test-threads=1`

#[path = "../support/blind.rs"]
mod common;

mod b01_go_kubernetes_finishreq_unbuffered;
mod b02_go_lock_held_across_send;
mod b03_go_docker_double_close;
mod b04_albahari_thread_unsafe_divide;
mod b05_albahari_two_way_signaling_race;
mod b06_albahari_foo_memory_barrier;
mod b07_java_puzzlers_class_init_join;
mod b08_jdk_simpledateformat_shared_calendar;
