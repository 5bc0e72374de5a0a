// RIGHT: each worker sends on a channel once its job has returned, and `run_threads` receives one message per worker.
use racelab::sync::{mpsc, thread, Arc};

/// Runs `count` workers at the same time; worker `i` calls `job(i)`.
/// Returns when every worker has finished.
pub fn run_threads(count: usize, job: Arc<dyn Fn(usize) + Send + Sync>) {
    let (done, finished) = mpsc::channel();
    for i in 0..count {
        let (job, done) = (Arc::clone(&job), done.clone());
        thread::spawn(move || {
            job(i);
            done.send(i).expect("run_threads is waiting");
        });
    }
    for _ in 0..count {
        finished.recv().expect("a worker panicked");
    }
}
