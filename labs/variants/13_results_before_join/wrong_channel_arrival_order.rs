// WRONG: collects the results from a channel in the order the workers happen to finish, not in the order of the jobs.
use racelab::sync::{mpsc, thread, Arc};

/// Runs `job(0)`, `job(1)`, ..., `job(count - 1)`, each on its own thread,
/// all at the same time, and returns their results in that order.
pub fn run_jobs(count: usize, job: Arc<dyn Fn(usize) -> u64 + Send + Sync>) -> Vec<u64> {
    let (tx, rx) = mpsc::channel();
    for i in 0..count {
        let (job, tx) = (Arc::clone(&job), tx.clone());
        thread::spawn(move || tx.send(job(i)).expect("run_jobs is receiving"));
    }
    (0..count).map(|_| rx.recv().expect("a worker panicked")).collect()
}
