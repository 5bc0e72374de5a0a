//! Lab 01's check, on the student's `labs/exercises/01_join_in_loop.rs` (or, with
//! `--features solutions`, on the reference solution). The property it
//! checks is in `labs/checks/01_join_in_loop.rs`.

racelab_labs::lab!("01_join_in_loop");
