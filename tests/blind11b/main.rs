#![cfg(all(feature = "loom", feature = "shuttle"))]
//! Blind round 11b: eight concurrency bugs that were found and fixed in
//! widely used projects outside Rust (OpenJDK, CPython, the Linux kernel,
//! libcxxrt, Redis, PostgreSQL, memcached), each reduced to the few steps
//! that break and transcribed onto `racelab::sync` by a new user from the
//! README alone. Each module cites the bug report or commit, states the bug
//! and the marks a teacher would put, written before the first run;
//! `SCORES.md` grades racelab's marks against them.
//!
//! Run: `cargo test --features loom --test blind11b -- --nocapture --test-threads=1`

#[path = "../support/blind.rs"]
mod common;

mod b01_jdk7132378_futuretask_explicit_set;
mod b02_cpython14406_futures_wait_pending_count;
mod b03_linux_kcompactd_waitqueue_active;
mod b04_libcxxrt4_guard_acquire_relaxed_fast_path;
mod b05_redis7700_bug_report_start_twice;
mod b06_linux_sched_wakeup_bitfield_clobber;
mod b07_postgres_syncrep_state_before_dequeue;
mod b08_memcached469_delete_incr_survival;
