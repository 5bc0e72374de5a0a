//! Lab 01 — reference solution: start every worker, then join them all.

use racelab::sync::{thread, Arc};

/// Runs `count` workers at the same time; worker `i` calls `job(i)`.
/// Returns when every worker has finished.
pub fn run_threads(count: usize, job: Arc<dyn Fn(usize) + Send + Sync>) {
    let handles: Vec<_> = (0..count)
        .map(|i| {
            let job = Arc::clone(&job);
            thread::spawn(move || job(i))
        })
        .collect();
    for handle in handles {
        handle.join().expect("a worker panicked");
    }
}
