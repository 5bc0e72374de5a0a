// WRONG: the handles are dropped unjoined, so `run_threads` can return while workers are still running.
use racelab::sync::{thread, Arc};

/// Runs `count` workers at the same time; worker `i` calls `job(i)`.
/// Returns when every worker has finished.
pub fn run_threads(count: usize, job: Arc<dyn Fn(usize) + Send + Sync>) {
    for i in 0..count {
        let job = Arc::clone(&job);
        thread::spawn(move || job(i));
    }
}
