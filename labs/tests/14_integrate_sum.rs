//! Lab 14's check, on the student's `labs/exercises/14_integrate_sum.rs` (or, with
//! `--features solutions`, on the reference solution). The property it
//! checks is in `labs/checks/14_integrate_sum.rs`.

racelab_labs::lab!("14_integrate_sum");
