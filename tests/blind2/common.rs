use racelab::explore::{Explorer, Report, Scenario};

/// Explores `s` under `explorer`, prints the report and every event's mark.
pub fn run<O: racelab::explore::Outcome>(s: &Scenario<O>, explorer: &Explorer) -> Report {
    let report = s.explore(explorer).expect("explore");
    println!(
        "==================== {} / {:?} ====================",
        s.name(),
        report.backend
    );
    println!("{}", report.render(false));
    if let Some(f) = &report.failure {
        let v = serde_json::to_value(&f.trace).unwrap();
        match v.as_array() {
            Some(events) => {
                for (i, e) in events.iter().enumerate() {
                    let mut brief = e.clone();
                    if let Some(o) = brief.as_object_mut() {
                        o.retain(|_, x| !x.is_null());
                    }
                    println!("  event {:>3}: {}", i + 1, brief);
                }
                let marked: Vec<_> = events.iter().filter(|e| !e["mark"].is_null()).collect();
                println!("  MARKS ({}):", marked.len());
                for e in marked {
                    println!("    [{}] {} | {}", e["mark_kind"], e["mark"], e);
                }
            }
            None => println!("  trace (not an array): {v}"),
        }
    }
    report
}
