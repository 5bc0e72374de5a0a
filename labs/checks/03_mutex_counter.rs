//! Check for lab 03: two threads that increment the counter twice each
//! always leave it at 4, under every schedule loom and shuttle explore.

use super::exercise;

use racelab::explore::Scenario;
use racelab::sync::Arc;

#[test]
fn every_increment_is_counted_under_every_schedule() {
    let scenario = Scenario::new("lab 03: mutex counter", || {
        let counter = Arc::new(exercise::Counter::new());
        let shared = Arc::clone(&counter);
        racelab_labs::in_parallel(&["alice", "bob"], move |_| {
            shared.increment();
            shared.increment();
        });
        format!("count = {}", counter.get())
    })
    .expect_only("count = 4".to_owned());
    racelab_labs::check(scenario, racelab_labs::MODELS);
}
