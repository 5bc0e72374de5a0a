//! Lab 10's check, on the student's `labs/exercises/10_publish.rs` (or, with
//! `--features solutions`, on the reference solution). The property it
//! checks is in `labs/checks/10_publish.rs`.

racelab_labs::lab!("10_publish");
