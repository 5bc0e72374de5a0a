//! Every scenario in the catalogue, under shuttle (PCT, fixed default seed):
//! racy baselines must be racy, in the way the catalogue says, and fixes
//! must hold in every schedule tried. The seed is fixed, so a pass or a
//! failure here is the same on every machine.
#![cfg(feature = "shuttle")]

use racelab::catalogue::{find, Entry, Expect, ENTRIES};
use racelab::explore::{Explorer, Report};
use racelab::sync::Backend;

fn explore(entry: &Entry) -> Report {
    entry
        .scenario(entry.params(Backend::Shuttle))
        .explore(&Explorer::shuttle())
        .expect("shuttle is in this build")
}

#[test]
fn every_racy_baseline_is_racy_under_shuttle() {
    for entry in ENTRIES {
        if let Some(kind) = entry.expect.racy_under(Backend::Shuttle) {
            let report = explore(entry);
            report.assert_racy(Some(kind));
            let failure = report.failure.as_ref().expect("assert_racy checked it");
            assert!(
                !failure.trace.is_empty(),
                "{}: a model failure comes with its trace",
                entry.name
            );
            assert!(failure.replay.is_some(), "{}: and with a replay key", entry.name);
        }
    }
}

#[test]
fn every_fix_holds_under_shuttle() {
    for entry in ENTRIES.iter().filter(|e| e.expect == Expect::Holds) {
        explore(entry).assert_holds();
    }
}

#[test]
fn shuttle_cannot_see_weak_memory_races() {
    // Every atomic is SeqCst under shuttle, and cells are not checked: a
    // race only loom can see passes here. If shuttle ever learns to see
    // them, this fails, and the catalogue should say `Racy`.
    for entry in ENTRIES.iter().filter(|e| matches!(e.expect, Expect::LoomOnly(_))) {
        let report = explore(entry);
        assert!(
            report.failure.is_none(),
            "{}: shuttle found {:?}",
            entry.name,
            report.failure
        );
        // Nothing silent: the report says what shuttle did not check.
        assert!(
            report.notes.iter().any(|n| n.starts_with("shuttle could not check")),
            "{}: no blind-spot note in {:?}",
            entry.name,
            report.notes
        );
        for note in &report.notes {
            assert!(
                !note.contains("   "),
                "{}: a note with a run of spaces: {note:?}",
                entry.name
            );
        }
    }
}

#[test]
fn shuttle_never_shows_a_weak_litmus_outcome() {
    for entry in ENTRIES
        .iter()
        .filter(|e| e.topic() == "ordering" && e.expect == Expect::Holds)
    {
        let report = explore(entry);
        let weak = report
            .outcomes
            .iter()
            .find(|o| o.grade != racelab::explore::Grade::Acceptable);
        assert!(weak.is_none(), "{}: {weak:?}", entry.name);
    }
}

#[test]
fn the_racy_counter_timeline_marks_the_overwriting_store() {
    let failure = explore(find("counter::racy").expect("in the catalogue"))
        .failure
        .expect("racy");
    let marked: Vec<_> = failure.trace.iter().filter(|e| e.mark.is_some()).collect();
    assert!(!marked.is_empty(), "some store is marked");
    for e in marked {
        assert_eq!(e.op, racelab::trace::Op::Store);
        assert!(e.mark.as_deref().unwrap().contains("update is lost"));
    }
}

#[test]
fn a_shuttle_replay_key_reproduces_its_execution() {
    let entry = find("counter::racy").expect("in the catalogue");
    let scenario = entry.scenario(entry.params(Backend::Shuttle));
    let failure = scenario
        .explore(&Explorer::shuttle())
        .expect("in the build")
        .failure
        .expect("racy");
    let key = failure.replay.clone().expect("a key");
    let replayed = scenario.replay(&Explorer::shuttle(), &key).expect("a valid key");
    assert_eq!(replayed.executions, 1);
    let again = replayed.failure.expect("the same failure");
    assert_eq!(again.outcome, failure.outcome);
    assert_eq!(again.trace, failure.trace);
}

#[test]
fn a_different_seed_still_finds_the_lost_update() {
    let entry = find("counter::racy").expect("in the catalogue");
    for seed in [1, 2, 3] {
        let report = entry
            .scenario(entry.params(Backend::Shuttle))
            .explore(&Explorer::shuttle().with_seed(seed))
            .expect("shuttle is in this build");
        report.assert_racy(None);
    }
}

#[test]
fn the_naive_transfer_deadlock_names_its_wait_for_cycle() {
    let failure = explore(find("deadlock::naive").expect("in the catalogue"))
        .failure
        .expect("deadlocks");
    assert!(failure.message.contains("a cycle"), "{}", failure.message);
    assert!(failure.message.contains("waits for"), "{}", failure.message);
}
