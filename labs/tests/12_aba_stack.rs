//! Lab 12's check, on the student's `labs/exercises/12_aba_stack.rs` (or, with
//! `--features solutions`, on the reference solution). The property it
//! checks is in `labs/checks/12_aba_stack.rs`.

racelab_labs::lab!("12_aba_stack");
