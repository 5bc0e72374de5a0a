// WRONG: joins each worker right after starting it, so every result is there but the jobs never run at the same time.
use racelab::sync::{thread, Arc};

/// Runs `job(0)`, `job(1)`, ..., `job(count - 1)`, each on its own thread,
/// all at the same time, and returns their results in that order.
pub fn run_jobs(count: usize, job: Arc<dyn Fn(usize) -> u64 + Send + Sync>) -> Vec<u64> {
    (0..count)
        .map(|i| {
            let job = Arc::clone(&job);
            thread::spawn(move || job(i)).join().expect("a worker panicked")
        })
        .collect()
}
