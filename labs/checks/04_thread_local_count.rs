//! Check for lab 04: two threads that count (alice twice, bob once), then
//! merge their counts, always leave a total of 3, under every schedule loom
//! and shuttle explore. The counts differ so that a lost merge shows.

use super::exercise;

use racelab::explore::Scenario;
use racelab::sync::{thread, Arc};

#[test]
fn every_threads_count_reaches_the_total_under_every_schedule() {
    let scenario = Scenario::new("lab 04: thread-local count", || {
        let counter = Arc::new(exercise::Counter::new());
        let workers: Vec<_> = [("alice", 2), ("bob", 1)]
            .into_iter()
            .map(|(name, events)| {
                let counter = Arc::clone(&counter);
                thread::Builder::new()
                    .name(name)
                    .spawn(move || {
                        for _ in 0..events {
                            counter.count();
                        }
                        counter.finish();
                    })
                    .expect("spawn a worker")
            })
            .collect();
        for worker in workers {
            worker.join().expect("a worker panicked");
        }
        format!("total = {}", counter.get())
    })
    .expect_only("total = 3".to_owned());
    racelab_labs::check(scenario, racelab_labs::MODELS);
}
