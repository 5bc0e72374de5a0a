#![cfg(all(feature = "loom", feature = "shuttle"))]
//! Blind round 10b: eight real concurrency bugs from bug studies and bug
//! trackers (Lu, Park, Seo & Zhou, *Learning from Mistakes*, ASPLOS 2008;
//! Qin et al., *Understanding Memory and Thread Safety Practices and Issues
//! in Real-World Rust Programs*, PLDI 2020; issues and fixes in Mozilla,
//! MySQL, Apache httpd, the Linux kernel, TiKV, tokio, crossbeam and
//! parking_lot), reduced and transcribed by a new user from the README
//! alone. Each module states its source, the bug, and the marks a teacher
//! would put, written before the first run; `SCORES.md` grades racelab's
//! marks against them.
//!
//! Run: `cargo test --features loom --test blind10b -- --nocapture --test-threads=1`

#[path = "../support/blind.rs"]
mod common;

mod b01_lu_mozilla_property_cache_flush_fill;
mod b02_tikv1768_rwlock_read_guard_in_match;
mod b03_tokio2134_broadcast_notify_without_tail_lock;
mod b04_crossbeam97_ms_queue_signal_relaxed;
mod b05_linux_fasync_setfl_flag_race;
mod b06_apache25520_buffered_log_outcnt;
mod b07_lu_mysql791_binlog_rotate_closed_window;
mod b08_parking_lot318_condvar_if_notify_after_unlock;
