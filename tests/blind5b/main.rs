#![cfg(all(feature = "loom", feature = "shuttle"))]
//! Blind round 5b: eight small programs with a concurrency bug each, written
//! by a tester who never read racelab's explanation engine. Every module
//! states, in its doc comment, the marks a teacher would put, written before
//! the first run; the tests assert only the verdicts (and that the fixes
//! hold), and print the timeline and the marks for grading in SCORES.md.
//!
//! Run: `cargo test --features loom --test blind5b -- --nocapture --test-threads=1`

mod common;

mod b01_rate_limiter;
mod b02_stats_cache;
mod b03_conn_pool_guard;
mod b04_double_buffer;
mod b05_job_queue_wakeup;
mod b06_rpc_handshake;
mod b07_phase_barrier;
mod b08_seqno_halves;
