//! Lab 13's check, on the student's `labs/exercises/13_results_before_join.rs` (or, with
//! `--features solutions`, on the reference solution). The property it
//! checks is in `labs/checks/13_results_before_join.rs`.

racelab_labs::lab!("13_results_before_join");
