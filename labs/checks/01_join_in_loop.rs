//! Check for lab 01: two workers that must meet at a barrier both finish,
//! under every schedule loom and shuttle explore.

use super::exercise;

use racelab::explore::Scenario;
use racelab::sync::{Arc, Barrier};

#[test]
fn workers_that_must_meet_all_finish() {
    let scenario = Scenario::new("lab 01: join in the loop", || {
        let barrier = Arc::new(Barrier::new(2).named("barrier"));
        exercise::run_threads(
            2,
            Arc::new(move |_| {
                barrier.wait();
            }),
        );
        "both workers met and finished".to_owned()
    })
    .expect_only("both workers met and finished".to_owned());
    racelab_labs::check(scenario, racelab_labs::MODELS);
}
