//! Explore a scenario, print its report, every event of the failure's trace
//! as JSON, and the marked events with their kinds.

use racelab::explore::{Explorer, Outcome, Report, Scenario};

/// Explores `scenario` with `explorer` and prints what a grader needs.
pub fn explore<O: Outcome>(scenario: &Scenario<O>, explorer: &Explorer) -> Report {
    let report = scenario.explore(explorer).expect("the backend is in this build");
    println!("==================== {} under {}", scenario.name(), report.backend);
    println!("{}", report.render(false));
    if let Some(failure) = &report.failure {
        println!("failure kind: {:?}; message: {}", failure.kind, failure.message);
        let json = serde_json::to_value(&failure.trace).expect("a trace is JSON");
        for event in json.as_array().expect("a trace is a list") {
            println!("  {event}");
        }
        println!("marks:");
        for e in failure.trace.iter().filter(|e| e.mark.is_some()) {
            println!(
                "  step {} {} {} {} [{:?}] {}",
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

/// A broken program: the backend must find a failure.
pub fn racy<O: Outcome>(scenario: &Scenario<O>, explorer: &Explorer) -> Report {
    let report = explore(scenario, explorer);
    report.assert_racy(None);
    report
}

/// A correct program: every execution must be acceptable.
pub fn holds<O: Outcome>(scenario: &Scenario<O>, explorer: &Explorer) -> Report {
    let report = explore(scenario, explorer);
    report.assert_holds();
    report
}
