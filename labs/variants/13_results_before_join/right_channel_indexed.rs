// RIGHT: each worker sends (index, result) on a channel; run_jobs receives one message per job and puts each result in its slot.
use racelab::sync::{mpsc, thread, Arc};

/// Runs `job(0)`, `job(1)`, ..., `job(count - 1)`, each on its own thread,
/// all at the same time, and returns their results in that order.
pub fn run_jobs(count: usize, job: Arc<dyn Fn(usize) -> u64 + Send + Sync>) -> Vec<u64> {
    let (tx, rx) = mpsc::channel();
    for i in 0..count {
        let (job, tx) = (Arc::clone(&job), tx.clone());
        thread::spawn(move || tx.send((i, job(i))).expect("run_jobs is receiving"));
    }
    let mut results = vec![0; count];
    for _ in 0..count {
        let (i, result) = rx.recv().expect("a worker panicked");
        results[i] = result;
    }
    results
}
