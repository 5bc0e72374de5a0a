//! Every scenario in the catalogue, under loom: every interleaving within
//! the default preemption bound (3), at the catalogue's model sizes (two
//! threads, one or two operations each). Racy baselines must be racy,
//! fixes must hold, and the exploration must be complete: a fix that passes
//! here is proved within that bound.
//!
//! `cargo test --features loom --test loom_catalogue -- --nocapture` prints
//! the timeline of each race loom found.
#![cfg(feature = "loom")]

use racelab::catalogue::{find, Entry, Expect, Params, ENTRIES};
use racelab::explore::{Explorer, Report};
use racelab::sync::Backend;
use racelab::trace::Op;

fn explore(entry: &Entry) -> Report {
    entry
        .scenario(entry.params(Backend::Loom))
        .explore(&Explorer::loom())
        .expect("loom is in this build")
}

#[test]
fn every_racy_baseline_is_racy_under_loom() {
    for entry in ENTRIES {
        if let Some(kind) = entry.expect.racy_under(Backend::Loom) {
            let report = explore(entry);
            report.assert_racy(Some(kind));
            println!("{}", report.render(false));
        }
    }
}

#[test]
fn every_fix_holds_under_loom() {
    for entry in ENTRIES.iter().filter(|e| e.expect == Expect::Holds) {
        let report = explore(entry);
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
    let report = explore(find("counter::racy").expect("in the catalogue"));
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
    let entry = find("counter::racy").expect("in the catalogue");
    let scenario = entry.scenario(entry.params(Backend::Loom));
    let failure = scenario
        .explore(&Explorer::loom())
        .expect("in the build")
        .failure
        .expect("racy");
    let key = failure.replay.clone().expect("a key");
    let replayed = scenario.replay(&Explorer::loom(), &key).expect("a valid key");
    let again = replayed.failure.expect("the same failure");
    assert_eq!(again.outcome, failure.outcome);
    assert_eq!(again.trace, failure.trace);
}

#[test]
fn three_threads_of_every_counter_fix_hold_under_loom_with_bound_two() {
    let p = Params { threads: 3, ops: 1 };
    for entry in ENTRIES
        .iter()
        .filter(|e| e.expect == Expect::Holds && e.topic() == "counter")
    {
        let report = entry
            .scenario(p)
            .explore(&Explorer::loom().with_preemption_bound(Some(2)))
            .expect("loom is in this build");
        report.assert_holds();
    }
}

#[test]
fn the_racy_document_timeline_shows_two_opens_then_the_overwriting_save() {
    let failure = explore(find("document::racy").expect("in the catalogue"))
        .failure
        .expect("racy");
    let trace = &failure.trace;
    let opens: Vec<usize> = trace
        .iter()
        .filter(|e| e.target == "doc" && e.op == Op::Load && e.thread != "main")
        .map(|e| e.step)
        .collect();
    let marked = trace
        .iter()
        .find(|e| e.mark.as_deref().is_some_and(|m| m.starts_with("overwrites")))
        .expect("the overwriting save is marked");
    assert_eq!(marked.op, Op::Store);
    assert!(opens.len() >= 2, "both users opened the document: {opens:?}");
    assert!(
        opens.iter().all(|s| *s < marked.step),
        "both opens come before the save that loses an edit"
    );
}

#[test]
fn the_naive_transfer_deadlocks_under_loom_with_a_wait_for_cycle() {
    let report = explore(find("deadlock::naive").expect("in the catalogue"));
    let failure = report.failure.expect("deadlocks");
    assert!(failure.message.contains("a cycle"), "{}", failure.message);
    let blocked_on_locks: Vec<&str> = failure
        .trace
        .iter()
        .filter(|e| e.op == Op::Blocked && (e.target == "A" || e.target == "B"))
        .map(|e| e.thread.as_str())
        .collect();
    assert_eq!(blocked_on_locks, ["alice", "bob"], "both clerks end blocked on a lock");
}

#[test]
fn the_versioned_document_keeps_every_edit_under_loom() {
    let report = explore(find("document::versioned").expect("in the catalogue"));
    report.assert_holds();
    assert!(report.outcomes.iter().all(|o| o.outcome == "kept alice 1/1, bob 1/1"));
}

#[test]
fn loom_reaches_store_buffering_with_relaxed_and_not_with_seqcst_fences() {
    let weak = |name: &str| {
        let report = explore(find(name).expect("in the catalogue"));
        report.assert_holds();
        report
            .outcomes
            .iter()
            .find(|o| o.outcome == "r1=0, r2=0")
            .map(|o| o.count)
    };
    assert!(
        weak("ordering::sb_relaxed").is_some_and(|n| n > 0),
        "allowed, and reachable under loom"
    );
    assert_eq!(weak("ordering::sb_seqcst_fences"), None, "forbidden, and never reached");
}

#[test]
fn relaxed_publication_is_a_data_race_and_release_acquire_is_not() {
    let relaxed = explore(find("ordering::publish_relaxed").expect("in the catalogue"));
    relaxed.assert_racy(Some(racelab::explore::FailureKind::DataRace));
    let trace = &relaxed.failure.expect("racy").trace;
    assert!(trace.iter().any(|e| e.target == "data" && e.op == Op::CellWrite));
    explore(find("ordering::publish_release_acquire").expect("in the catalogue")).assert_holds();
}
