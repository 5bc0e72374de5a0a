// WRONG: joins each worker as soon as the next one is started, so with three workers the first waits for a third that is never started.
use racelab::sync::{thread, Arc};

/// Runs `count` workers at the same time; worker `i` calls `job(i)`.
/// Returns when every worker has finished.
pub fn run_threads(count: usize, job: Arc<dyn Fn(usize) + Send + Sync>) {
    let mut previous: Option<thread::JoinHandle<()>> = None;
    for i in 0..count {
        let job = Arc::clone(&job);
        let handle = thread::spawn(move || job(i));
        if let Some(previous) = previous.replace(handle) {
            previous.join().expect("a worker panicked");
        }
    }
    if let Some(last) = previous {
        last.join().expect("a worker panicked");
    }
}
