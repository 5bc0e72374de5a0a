//! Every lab's starter, reference solution and variants (`labs/variants/`),
//! each checked by its lab's check: `racelab verify` runs the test
//! `labNN::ENTRY::check::...` of each and compares the verdict with what
//! the entry's name promises (`wrong_*` rejected, `right_*` accepted).

include!(concat!(env!("OUT_DIR"), "/variants.rs"));
