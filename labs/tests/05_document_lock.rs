//! Lab 05's check, on the student's `labs/exercises/05_document_lock.rs` (or, with
//! `--features solutions`, on the reference solution). The property it
//! checks is in `labs/checks/05_document_lock.rs`.

racelab_labs::lab!("05_document_lock");
