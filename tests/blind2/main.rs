#![cfg(all(feature = "loom", feature = "shuttle"))]
// The modules' notes are a tester's score sheets, written as lists.
#![allow(clippy::doc_lazy_continuation)]
//! Ten classic concurrency bugs, transcribed onto racelab by a new user.
//! Each module's doc comment says, before the marks were looked at, where a
//! teacher would put marks. The tests assert only the verdicts and print the
//! failing timeline and every event's mark.

mod common;
mod controls;
mod p01_word_tearing;
mod p02_order_violation_init;
mod p03_queue_check_then_pop;
mod p04_stack_pop_use_after_free;
mod p05_spsc_ring_relaxed;
mod p06_predicate_outside_mutex;
mod p07_join_while_holding_lock;
mod p08_semaphore_wrong_init;
mod p09_single_condvar_wrong_waiter;
mod p10_unsafe_publication;
