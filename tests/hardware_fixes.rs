//! Every fix, on real threads: each run must end with the right count.
//! (Hardware runs never assert that a race shows up: it may not. They can
//! assert that a fix is correct.)

use racelab::catalogue::{Expect, Params, ENTRIES};
use racelab::explore::Explorer;

use std::time::Duration;

/// Correctness, not speed, is asserted here: on a loaded machine, a litmus
/// run (a thousand instances whose threads meet at a spinning barrier) can
/// take seconds when the scheduler keeps one of its threads off a core. The
/// time limit only has to catch a real deadlock.
const PATIENCE: Duration = Duration::from_secs(300);

#[test]
fn every_fix_is_correct_on_real_threads() {
    let params = Params { threads: 4, ops: 2_000 };
    for entry in ENTRIES.iter().filter(|e| e.expect == Expect::Holds) {
        let report = entry
            .scenario(params)
            .explore(&Explorer::hardware().with_budget(10).with_time_limit(PATIENCE))
            .expect("hardware is always there");
        report.assert_holds();
        assert!(report.executions >= 10, "{}: every run counted", entry.name);
    }
}

#[test]
fn the_racy_counter_never_counts_more_than_was_added() {
    // Whatever the machine does, a lost update only ever loses, and two
    // threads always leave at least 2 (the well-known lower bound).
    let params = Params {
        threads: 2,
        ops: 10_000,
    };
    let report = racelab::catalogue::find("counter::racy")
        .expect("in the catalogue")
        .scenario(params)
        .explore(&Explorer::hardware().with_budget(10))
        .expect("hardware is always there");
    for row in &report.outcomes {
        let count: racelab::counter::Count = row.outcome.parse().expect("a count");
        assert!((2..=20_000).contains(&count.0), "{}", row.outcome);
    }
}
