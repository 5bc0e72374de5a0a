//! Explore a scenario, print what a user would read, and the marks as data.

use racelab::explore::{Explorer, Outcome, Report, Scenario};

/// Explores `scenario` on `explorer`, prints the report, every event of the
/// failure's trace as JSON, and the marked steps with their kinds.
pub fn explore<O: Outcome>(scenario: &Scenario<O>, explorer: &Explorer) -> Report {
    let report = scenario.explore(explorer).expect("the backend is in this build");
    println!("==== {} under {} ====", report.scenario, report.backend);
    println!("{}", report.render(false));
    if let Some(failure) = &report.failure {
        println!("-- trace as JSON ({} events) --", failure.trace.len());
        for event in &failure.trace {
            println!("{}", serde_json::to_value(event).expect("an event serialises"));
        }
        println!("-- marks --");
        for e in failure.trace.iter().filter(|e| e.mark.is_some()) {
            println!(
                "  step {} {} {} {}: {:?} {}",
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

/// Both default explorers, loom first.
pub fn loom() -> Explorer {
    Explorer::loom()
}

pub fn shuttle() -> Explorer {
    Explorer::shuttle()
}
