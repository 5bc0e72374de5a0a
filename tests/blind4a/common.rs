//! What every puzzle does with a report: print the table and timeline, every
//! event of the failing trace as JSON, and the marked events with their kind.

use racelab::explore::{Explorer, Outcome, Report, Scenario};

/// Explores `scenario` with `explorer` and prints what a reader needs to
/// grade the verdict and the marks.
pub fn explore<O: Outcome>(scenario: &Scenario<O>, explorer: Explorer) -> Report {
    let report = scenario.explore(&explorer).expect("the exploration starts");
    println!("==== {} under {} ====", report.scenario, report.backend);
    println!("{}", report.render(false));
    if let Some(failure) = &report.failure {
        println!("-- failure kind: {:?}; trace as JSON:", failure.kind);
        for event in &failure.trace {
            let json = serde_json::to_value(event).expect("an event serialises");
            println!("{json}");
        }
        println!("-- marks:");
        for e in failure.trace.iter().filter(|e| e.mark.is_some()) {
            println!(
                "MARK step {} {} {} {}: {:?} {}",
                e.step,
                e.thread,
                e.op.word(),
                e.target,
                e.mark_kind,
                e.mark.as_deref().unwrap_or("")
            );
        }
    }
    report
}

/// The verdict a broken program must get: a failure (of any kind but vacuous).
pub fn racy<O: Outcome>(scenario: &Scenario<O>, explorer: Explorer) -> Report {
    let report = explore(scenario, explorer);
    report.assert_racy(None);
    report
}

/// The verdict a correct program must get: every execution acceptable.
pub fn holds<O: Outcome>(scenario: &Scenario<O>, explorer: Explorer) -> Report {
    let report = explore(scenario, explorer);
    report.assert_holds();
    report
}
