//! The one helper every puzzle uses: explore a scenario on a backend, print
//! the report, every event of the failing trace as JSON, and the marks.

use racelab::explore::{Explorer, Outcome, Report, Scenario};

/// Explores `scenario` on `explorer` and prints what a new user looks at:
/// the rendered report, the failure trace event by event as JSON, and the
/// marked events with their kinds.
pub fn explore<O: Outcome>(scenario: &Scenario<O>, explorer: &Explorer) -> Report {
    let report = scenario.explore(explorer).expect("the backend is in this build");
    println!(
        "==================== {} under {} ====================",
        scenario.name(),
        report.backend
    );
    println!("{}", report.render(false));
    if let Some(failure) = &report.failure {
        println!("--- failure: {} ({}) ---", failure.kind, failure.message);
        let json = serde_json::to_value(&failure.trace).expect("a trace serialises");
        match json.as_array() {
            Some(events) => {
                for event in events {
                    println!("{event}");
                }
            }
            None => println!("{json}"),
        }
        println!("--- marks ---");
        for e in failure.trace.iter().filter(|e| e.mark.is_some()) {
            println!(
                "step {} {} {} {}: {:?} {}",
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

/// loom with its default bounds.
pub fn loom() -> Explorer {
    Explorer::loom()
}

/// shuttle with its default bounds.
pub fn shuttle() -> Explorer {
    Explorer::shuttle()
}
