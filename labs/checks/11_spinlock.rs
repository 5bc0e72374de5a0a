//! Check for lab 11: two threads that each add one to a counter inside the
//! spin lock always leave 2, and never touch the counter unordered — no
//! data race under any execution loom explores (shuttle cannot see this
//! race, so it is not used).

use super::exercise;

use racelab::explore::Scenario;
use racelab::sync::{thread, Arc};

#[test]
fn every_increment_under_the_lock_is_seen_by_the_next_holder() {
    let scenario = Scenario::new("lab 11: spin lock", || {
        let lock = Arc::new(exercise::SpinLock::new(0u64));
        let workers: Vec<_> = ["alice", "bob"]
            .into_iter()
            .map(|name| {
                let lock = Arc::clone(&lock);
                thread::Builder::new()
                    .name(name)
                    .spawn(move || lock.lock().with_mut(|v| *v += 1))
                    .expect("spawn a worker")
            })
            .collect();
        for worker in workers {
            worker.join().expect("a worker panicked");
        }
        let total = lock.lock().with(|v| *v);
        format!("total = {total}")
    })
    .expect_only("total = 2".to_owned());
    racelab_labs::check(scenario, racelab_labs::LOOM);
}
