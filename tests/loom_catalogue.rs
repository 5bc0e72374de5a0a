//! Every scenario in the catalogue, under loom: every interleaving within
//! the default preemption bound (3) of two threads × two operations. Racy
//! baselines must be racy, fixes must hold, and the exploration must be
//! complete: a fix that passes here is proved within that bound.
//!
//! `cargo test --features loom --test loom_catalogue -- --nocapture` prints
//! the timeline of the race loom found in the racy counter.
#![cfg(feature = "loom")]

use racelab::catalogue::{find, Expect, Params, ENTRIES};
use racelab::explore::Explorer;
use racelab::sync::Backend;

fn params() -> Params {
    Params::default_for(Backend::Loom)
}

#[test]
fn every_racy_baseline_is_racy_under_loom() {
    for entry in ENTRIES {
        if let Expect::Racy(kind) = entry.expect {
            let report = entry
                .scenario(params())
                .explore(&Explorer::loom())
                .expect("loom is in this build");
            report.assert_racy(Some(kind));
            println!("{}", report.render(false));
        }
    }
}

#[test]
fn every_fix_holds_under_loom() {
    for entry in ENTRIES.iter().filter(|e| e.expect == Expect::Holds) {
        let report = entry
            .scenario(params())
            .explore(&Explorer::loom())
            .expect("loom is in this build");
        report.assert_holds();
        assert!(
            report.complete,
            "{}: loom explored everything within the bound",
            entry.name
        );
        assert!(report.executions > 1, "{}: more than one interleaving", entry.name);
    }
}

#[test]
fn loom_finds_every_lost_update_count_of_the_racy_counter() {
    // Two threads × two increments can end at 2, 3 or 4; loom reaches all.
    let report = find("counter::racy")
        .expect("in the catalogue")
        .scenario(params())
        .explore(&Explorer::loom())
        .expect("loom is in this build");
    let mut outcomes: Vec<&str> = report.outcomes.iter().map(|o| o.outcome.as_str()).collect();
    outcomes.sort_unstable();
    assert_eq!(outcomes, ["count = 2", "count = 3", "count = 4"]);
    let failure = report.failure.expect("racy");
    assert!(failure.trace.iter().any(|e| e.thread == "alice") && failure.trace.iter().any(|e| e.thread == "bob"));
    assert!(
        failure
            .trace
            .iter()
            .any(|e| e.mark.as_deref().is_some_and(|m| m.starts_with("overwrites"))),
        "the kept timeline explains itself"
    );
}

#[test]
fn a_loom_replay_key_reproduces_its_execution() {
    let scenario = find("counter::racy").expect("in the catalogue").scenario(params());
    let found = scenario.explore(&Explorer::loom()).expect("loom is in this build");
    let failure = found.failure.expect("racy");
    let key = failure.replay.clone().expect("a key");
    let replayed = scenario.replay(&Explorer::loom(), &key).expect("a valid key");
    let again = replayed.failure.expect("the same failure");
    assert_eq!(again.outcome, failure.outcome);
    assert_eq!(again.trace, failure.trace);
}

#[test]
fn three_threads_of_every_fix_hold_under_loom_with_bound_two() {
    let p = Params { threads: 3, ops: 1 };
    for entry in ENTRIES.iter().filter(|e| e.expect == Expect::Holds) {
        let report = entry
            .scenario(p)
            .explore(&Explorer::loom().with_preemption_bound(Some(2)))
            .expect("loom is in this build");
        report.assert_holds();
    }
}
