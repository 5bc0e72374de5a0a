// WRONG: only the last worker is joined; the others may still be running when `run_threads` returns.
use racelab::sync::{thread, Arc};

/// Runs `count` workers at the same time; worker `i` calls `job(i)`.
/// Returns when every worker has finished.
pub fn run_threads(count: usize, job: Arc<dyn Fn(usize) + Send + Sync>) {
    let mut last = None;
    for i in 0..count {
        let job = Arc::clone(&job);
        last = Some(thread::spawn(move || job(i)));
    }
    if let Some(last) = last {
        last.join().expect("a worker panicked");
    }
}
