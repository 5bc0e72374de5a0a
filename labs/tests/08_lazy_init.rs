//! Lab 08's check, on the student's `labs/exercises/08_lazy_init.rs` (or, with
//! `--features solutions`, on the reference solution). The property it
//! checks is in `labs/checks/08_lazy_init.rs`.

racelab_labs::lab!("08_lazy_init");
