//! Lab 15's check, on the student's `labs/exercises/15_file_counter.rs` (or, with
//! `--features solutions`, on the reference solution). The property it
//! checks is in `labs/checks/15_file_counter.rs`.

racelab_labs::lab!("15_file_counter");
