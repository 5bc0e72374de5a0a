//! Explore a scenario, print what racelab says, and hand back its marks.

use racelab::explore::{Explorer, Outcome, Report, Scenario};
use racelab::trace::MarkKind;

/// One marked step of a failure's timeline.
#[derive(Debug, Clone)]
#[allow(dead_code)]
pub struct Mark {
    pub step: usize,
    pub thread: String,
    pub op: &'static str,
    pub target: String,
    pub kind: Option<MarkKind>,
    pub text: String,
}

/// Explores `scenario` with `explorer`, prints the report (table, verdict,
/// timeline), every event of the failure's trace as JSON, and the marks.
pub fn explore<O: Outcome>(scenario: &Scenario<O>, explorer: &Explorer) -> Report {
    let report = scenario
        .explore(explorer)
        .expect("both model backends are in this build");
    println!("\n======== {} on {} ========", scenario.name(), explorer.backend());
    println!("{}", report.render(false));
    if let Some(failure) = &report.failure {
        println!("-- trace as JSON ({:?}) --", failure.kind);
        let json = serde_json::to_value(&failure.trace).expect("a trace serialises");
        for event in json.as_array().expect("a trace is a list") {
            println!("{event}");
        }
        println!("-- marks --");
        let marks = marks(&report);
        if marks.is_empty() {
            println!("  (none)");
        }
        for m in &marks {
            println!(
                "  step {} {} {} {}: {:?} {}",
                m.step, m.thread, m.op, m.target, m.kind, m.text
            );
        }
    }
    report
}

/// The marked steps of the report's failure (none without a failure).
pub fn marks(report: &Report) -> Vec<Mark> {
    report
        .failure
        .iter()
        .flat_map(|f| f.trace.iter())
        .filter(|e| e.mark.is_some())
        .map(|e| Mark {
            step: e.step,
            thread: e.thread.clone(),
            op: e.op.word(),
            target: e.target.clone(),
            kind: e.mark_kind,
            text: e.mark.clone().unwrap_or_default(),
        })
        .collect()
}

pub fn loom() -> Explorer {
    Explorer::loom()
}

pub fn shuttle() -> Explorer {
    Explorer::shuttle()
}
