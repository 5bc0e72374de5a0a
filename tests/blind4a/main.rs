#![cfg(all(feature = "loom", feature = "shuttle"))]
//! Blind round 4a: eight classic concurrency bugs from public sources, each
//! under loom and shuttle, with the marks a teacher would put written down
//! (in each module's doc comment) before racelab was run on them.
//!
//! Run: `cargo test --features loom --test blind4a -- --nocapture --test-threads=1`

mod common;

mod a01_go_loop_variable;
mod a02_hs_lockfree_list_remove;
mod a03_de_manual_reset_event;
mod a04_kref_get_after_zero;
mod a05_jcip_thread_starvation_deadlock;
mod a06_kernel_dead_mark_before_atomic_dec;
mod a07_lbos_deadlock_four;
mod a08_hs_locktwo;
