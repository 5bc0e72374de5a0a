// WRONG: copies the table first and joins every worker after, so the copy can still miss results.
use racelab::sync::{thread, Arc, Mutex};

/// Runs `job(0)`, `job(1)`, ..., `job(count - 1)`, each on its own thread,
/// all at the same time, and returns their results in that order.
pub fn run_jobs(count: usize, job: Arc<dyn Fn(usize) -> u64 + Send + Sync>) -> Vec<u64> {
    let results = Arc::new(Mutex::new(vec![None; count]));
    let workers: Vec<_> = (0..count)
        .map(|i| {
            let (job, results) = (Arc::clone(&job), Arc::clone(&results));
            thread::spawn(move || {
                let result = job(i);
                results.lock().expect("a worker panicked")[i] = Some(result);
            })
        })
        .collect();
    let table: Vec<u64> = results
        .lock()
        .expect("a worker panicked")
        .iter()
        .flatten()
        .copied()
        .collect();
    for worker in workers {
        worker.join().expect("a worker panicked");
    }
    table
}
