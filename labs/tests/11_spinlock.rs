//! Lab 11's check, on the student's `labs/exercises/11_spinlock.rs` (or, with
//! `--features solutions`, on the reference solution). The property it
//! checks is in `labs/checks/11_spinlock.rs`.

racelab_labs::lab!("11_spinlock");
