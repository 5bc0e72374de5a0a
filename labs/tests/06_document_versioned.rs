//! Lab 06's check, on the student's `labs/exercises/06_document_versioned.rs` (or, with
//! `--features solutions`, on the reference solution). The property it
//! checks is in `labs/checks/06_document_versioned.rs`.

racelab_labs::lab!("06_document_versioned");
