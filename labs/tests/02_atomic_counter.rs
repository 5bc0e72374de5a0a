//! Lab 02's check, on the student's `labs/exercises/02_atomic_counter.rs` (or, with
//! `--features solutions`, on the reference solution). The property it
//! checks is in `labs/checks/02_atomic_counter.rs`.

racelab_labs::lab!("02_atomic_counter");
