//! Blind test 3b: eight classic concurrency bugs from The Little Book of
//! Semaphores, OSTEP and Rust Atomics and Locks, written from racelab's
//! README as a new user would, under loom and shuttle. Each module's doc
//! comment holds the teacher's marks, written (and committed) before
//! racelab's marks were looked at; `SCORES.md` grades racelab's marks
//! against them.
//!
//! `cargo test --features loom --test blind3b -- --nocapture --test-threads=1`
#![cfg(all(feature = "loom", feature = "shuttle"))]

mod common;

mod b01_rw_writer_skips_room_empty;
mod b02_barrier_turnstile_inside_mutex;
mod b03_barbershop_split_check;
mod b04_list_insert_lock_too_narrow;
mod b05_allocator_covering_condition;
mod b06_arc_relaxed_drop;
mod b07_misplaced_acquire_fence;
mod b08_futex_condvar_no_counter_check;
