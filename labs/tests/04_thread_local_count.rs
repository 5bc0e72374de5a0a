//! Lab 04's check, on the student's `labs/exercises/04_thread_local_count.rs` (or, with
//! `--features solutions`, on the reference solution). The property it
//! checks is in `labs/checks/04_thread_local_count.rs`.

racelab_labs::lab!("04_thread_local_count");
