//! Lab 09's check, on the student's `labs/exercises/09_lock_order.rs` (or, with
//! `--features solutions`, on the reference solution). The property it
//! checks is in `labs/checks/09_lock_order.rs`.

racelab_labs::lab!("09_lock_order");
