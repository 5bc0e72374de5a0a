// WRONG: sleeps for a while instead of joining, guessing that the workers are done by then.
use std::time::Duration;

use racelab::sync::{thread, Arc, Mutex};

/// Runs `job(0)`, `job(1)`, ..., `job(count - 1)`, each on its own thread,
/// all at the same time, and returns their results in that order.
pub fn run_jobs(count: usize, job: Arc<dyn Fn(usize) -> u64 + Send + Sync>) -> Vec<u64> {
    let results = Arc::new(Mutex::new(vec![None; count]));
    for i in 0..count {
        let (job, results) = (Arc::clone(&job), Arc::clone(&results));
        thread::spawn(move || {
            let result = job(i);
            results.lock().expect("a worker panicked")[i] = Some(result);
        });
    }
    thread::sleep(Duration::from_millis(100));
    let table = results.lock().expect("a worker panicked");
    table.iter().flatten().copied().collect()
}
