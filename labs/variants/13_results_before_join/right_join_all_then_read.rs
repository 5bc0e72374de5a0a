// RIGHT: keeps the shared table but joins every worker before reading it, and a joined worker's result is in the table.
use racelab::sync::{thread, Arc, Mutex};

/// Runs `job(0)`, `job(1)`, ..., `job(count - 1)`, each on its own thread,
/// all at the same time, and returns their results in that order.
pub fn run_jobs(count: usize, job: Arc<dyn Fn(usize) -> u64 + Send + Sync>) -> Vec<u64> {
    let results = Arc::new(Mutex::new(vec![None; count]).named("results"));
    let workers: Vec<_> = (0..count)
        .map(|i| {
            let (job, results) = (Arc::clone(&job), Arc::clone(&results));
            thread::spawn(move || {
                let result = job(i);
                results.lock().expect("a worker panicked")[i] = Some(result);
            })
        })
        .collect();
    for worker in workers {
        worker.join().expect("a worker panicked");
    }
    let table = results.lock().expect("a worker panicked");
    table.iter().map(|r| r.expect("every worker was joined")).collect()
}
