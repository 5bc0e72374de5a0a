//! Lab 13 — reference solution: each worker returns its result through its
//! `JoinHandle`, and `join` hands it over. No shared table at all.

use racelab::sync::{thread, Arc};

/// Runs `job(0)`, `job(1)`, ..., `job(count - 1)`, each on its own thread,
/// all at the same time, and returns their results in that order.
pub fn run_jobs(count: usize, job: Arc<dyn Fn(usize) -> u64 + Send + Sync>) -> Vec<u64> {
    // Start them all first (lab 01), so that they run at the same time...
    let workers: Vec<_> = (0..count)
        .map(|i| {
            let job = Arc::clone(&job);
            thread::spawn(move || job(i))
        })
        .collect();
    // ...then join every one, in order. `join` returns only once the worker
    // has finished, and returns what its closure returned: everything the
    // worker did happens-before `join` returns, so its result is complete.
    workers
        .into_iter()
        .map(|w| w.join().expect("a worker panicked"))
        .collect()
}
