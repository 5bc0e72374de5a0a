// WRONG: sleeping for a while instead of joining guesses that the workers are done, and nothing makes it so.
use std::time::Duration;

use racelab::sync::{thread, Arc};

/// Runs `count` workers at the same time; worker `i` calls `job(i)`.
/// Returns when every worker has finished.
pub fn run_threads(count: usize, job: Arc<dyn Fn(usize) + Send + Sync>) {
    for i in 0..count {
        let job = Arc::clone(&job);
        thread::spawn(move || job(i));
    }
    thread::sleep(Duration::from_millis(100));
}
