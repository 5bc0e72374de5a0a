//! Check for lab 13: two workers compute 10 and 20, and `run_jobs` always
//! returns both results, in order, under every schedule loom and shuttle
//! explore.

use super::exercise;

use racelab::explore::Scenario;
use racelab::sync::Arc;

#[test]
fn every_result_is_in_when_run_jobs_returns() {
    let scenario = Scenario::new("lab 13: results before the join", || {
        let results = exercise::run_jobs(2, Arc::new(|i| 10 * (i as u64 + 1)));
        format!("results = {results:?}")
    })
    .expect_only("results = [10, 20]".to_owned());
    racelab_labs::check(scenario, racelab_labs::MODELS);
}
