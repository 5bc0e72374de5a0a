// WRONG: std's scoped threads are real OS threads that the model checkers cannot see or schedule.
use racelab::sync::Arc;

/// Runs `count` workers at the same time; worker `i` calls `job(i)`.
/// Returns when every worker has finished.
pub fn run_threads(count: usize, job: Arc<dyn Fn(usize) + Send + Sync>) {
    std::thread::scope(|s| {
        for i in 0..count {
            let job = &job;
            s.spawn(move || job(i));
        }
    });
}
