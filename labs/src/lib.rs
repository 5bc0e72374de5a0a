//! What every lab's check shares: explore a scenario built from the
//! student's code under the model backends, report what was found, and
//! fail unless the fix holds under every explored schedule.
//!
//! A check is an ordinary integration test (`labs/tests/NN_name.rs`), so
//! `cargo test -p racelab-labs --test NN_name` runs it too. For `racelab
//! check`, each backend's report is also printed as one line of JSON after
//! [`REPORT_PREFIX`], for the CLI to draw.

use racelab::explore::{Explorer, Outcome, Report, Scenario};
use racelab::sync::Backend;

/// Lines of standard output that carry a report start with this.
pub const REPORT_PREFIX: &str = "RACELAB-REPORT ";

pub mod file_counter;

/// Declares a lab's `exercise` module (the file under check: see
/// `labs/build.rs`) and its `check` module (`labs/checks/NN_name.rs`).
#[macro_export]
macro_rules! lab {
    ($name:literal) => {
        include!(concat!(env!("OUT_DIR"), "/labs/", $name, ".rs"));
    };
}

/// The name libtest gives the test `function` of the module at `module_path`
/// (what `module_path!()` says there): the path without the crate's name.
pub fn test_name(module_path: &str, function: &str) -> String {
    match module_path.split_once("::") {
        Some((_, inside)) => format!("{inside}::{function}"),
        None => function.to_owned(),
    }
}

/// Explores `scenario` under loom and shuttle (and, with `hardware`, on
/// real threads too), prints each report, and panics with the first failing
/// one's timeline unless every explored execution was acceptable.
pub fn check<O: Outcome>(scenario: Scenario<O>, backends: &[Backend]) {
    let explorers: Vec<Explorer> = backends
        .iter()
        .map(|&backend| match backend {
            // Small and quick: a lab's scenario is already minimal.
            Backend::Hardware => Explorer::hardware().with_budget(50),
            other => Explorer::for_backend(other),
        })
        .collect();
    check_with(scenario, &explorers);
}

/// [`check`] with explorers of the lab's own choosing (a deterministic
/// scenario on real threads needs only a few runs).
pub fn check_with<O: Outcome>(scenario: Scenario<O>, explorers: &[Explorer]) {
    let mut failed: Option<Report> = None;
    for explorer in explorers {
        let report = scenario
            .explore(explorer)
            .expect("racelab-labs builds racelab with every backend");
        // On a line of its own: with several tests in one binary, the test
        // harness's progress dots may be left at the start of the line.
        println!(
            "\n{REPORT_PREFIX}{}",
            serde_json::to_string(&report).expect("a report serialises")
        );
        if !report.holds() && failed.is_none() {
            failed = Some(report);
        }
    }
    if let Some(report) = failed {
        panic!("{}\nrun `racelab hint` for a hint", report.render(false));
    }
}

/// Runs `work(i)` on one named thread per name, all at once, and returns
/// what each returned, in order, once every thread has been joined.
pub fn in_parallel<T, F>(names: &[&'static str], work: F) -> Vec<T>
where
    T: Send + 'static,
    F: Fn(usize) -> T + Send + Sync + 'static,
{
    let work = racelab::sync::Arc::new(work);
    let workers: Vec<_> = names
        .iter()
        .enumerate()
        .map(|(i, name)| {
            let work = racelab::sync::Arc::clone(&work);
            racelab::sync::thread::Builder::new()
                .name(*name)
                .spawn(move || work(i))
                .expect("spawn a worker")
        })
        .collect();
    workers
        .into_iter()
        .map(|w| w.join().expect("a worker panicked"))
        .collect()
}

/// The model backends every lab is checked under.
pub const MODELS: &[Backend] = &[Backend::Loom, Backend::Shuttle];

/// loom only: for races that shuttle cannot see (weak memory, data races).
pub const LOOM: &[Backend] = &[Backend::Loom];
