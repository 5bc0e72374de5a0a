//! Lab 17's check, on the student's `labs/exercises/17_blocking_call.rs` (or, with
//! `--features solutions`, on the reference solution). The property it
//! checks is in `labs/checks/17_blocking_call.rs`.

racelab_labs::lab!("17_blocking_call");
