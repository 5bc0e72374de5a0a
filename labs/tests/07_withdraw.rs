//! Lab 07's check, on the student's `labs/exercises/07_withdraw.rs` (or, with
//! `--features solutions`, on the reference solution). The property it
//! checks is in `labs/checks/07_withdraw.rs`.

racelab_labs::lab!("07_withdraw");
