//! Lab 16's check, on the student's `labs/exercises/16_await_race.rs` (or, with
//! `--features solutions`, on the reference solution). The property it
//! checks is in `labs/checks/16_await_race.rs`.

racelab_labs::lab!("16_await_race");
