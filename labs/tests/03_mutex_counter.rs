//! Lab 03's check, on the student's `labs/exercises/03_mutex_counter.rs` (or, with
//! `--features solutions`, on the reference solution). The property it
//! checks is in `labs/checks/03_mutex_counter.rs`.

racelab_labs::lab!("03_mutex_counter");
