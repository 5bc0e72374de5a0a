//! Explores a scenario on one backend, prints the report, every event of
//! the failing trace as JSON, and the marked events with their kinds.

use racelab::explore::{Explorer, Outcome, Report, Scenario};

/// Explores `scenario` with `explorer` and prints what a new user would
/// look at: the rendered report, the trace as JSON, and the marks.
pub fn run<O: Outcome>(scenario: &Scenario<O>, explorer: &Explorer) -> Report {
    let report = scenario
        .explore(explorer)
        .unwrap_or_else(|e| panic!("{}: could not explore: {e}", scenario.name()));
    println!("===== {} on {} =====", scenario.name(), explorer.describe());
    println!("{}", report.render(false));
    match &report.failure {
        None => println!("(no failure)"),
        Some(failure) => {
            println!("failure kind: {:?}", failure.kind);
            let json = serde_json::to_value(&failure.trace).expect("the trace as JSON");
            let events = match &json {
                serde_json::Value::Array(events) => events.clone(),
                serde_json::Value::Object(map) => map.values().find_map(|v| v.as_array().cloned()).unwrap_or_default(),
                _ => Vec::new(),
            };
            println!("--- trace as JSON ({} events) ---", events.len());
            for e in &events {
                println!("{e}");
            }
            println!("--- marks ---");
            for e in events.iter().filter(|e| !e["mark"].is_null()) {
                println!(
                    "step {} [{}] {} {} ({}) => {}: {}",
                    e["step"],
                    e["thread"].as_str().unwrap_or("?"),
                    e["op"],
                    e["target"].as_str().unwrap_or("?"),
                    e["value"],
                    e["mark_kind"],
                    e["mark"].as_str().unwrap_or("")
                );
            }
        }
    }
    report
}

/// A failure must be found.
pub fn expect_bug<O: Outcome>(scenario: &Scenario<O>, explorer: &Explorer) -> Report {
    let report = run(scenario, explorer);
    report.assert_racy(None);
    report
}

/// Every explored execution must be acceptable.
pub fn expect_holds<O: Outcome>(scenario: &Scenario<O>, explorer: &Explorer) -> Report {
    let report = run(scenario, explorer);
    report.assert_holds();
    report
}
