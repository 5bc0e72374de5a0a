#![cfg(all(feature = "loom", feature = "shuttle"))]
//! Blind round 9b: eight concurrency bugs people asked about in their own
//! code (Stack Overflow and its mirrors, a Q&A forum, users.rust-lang.org, a
//! GitHub issue, a developer's blog post), transcribed onto `racelab::sync` by
//! a new user from the README alone. Each module states its source, the bug,
//! and the marks a teacher would put, written before the first run;
//! `SCORES.md` grades racelab's marks against them.
//!
//! Run: `cargo test --features loom --test blind9b -- --nocapture --test-threads=1`

#[path = "../support/blind.rs"]
mod common;

mod b01_so_java_synchronized_on_boxed_counter;
mod b02_qa_tij_semaphore_goes_negative;
mod b03_so_java_unsynchronized_getter;
mod b04_urlo_two_loads_then_store;
mod b05_so_acquire_release_four_threads;
mod b06_so_java_notify_on_other_monitor;
mod b07_blog_go_waitgroup_before_drain;
mod b08_gh_lazy_static_releases_gil;
