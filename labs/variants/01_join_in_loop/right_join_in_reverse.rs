// RIGHT: named workers are all started first, then joined from the last to the first; the order of the joins does not matter.
use racelab::sync::{thread, Arc};

/// Runs `count` workers at the same time; worker `i` calls `job(i)`.
/// Returns when every worker has finished.
pub fn run_threads(count: usize, job: Arc<dyn Fn(usize) + Send + Sync>) {
    let mut handles = Vec::with_capacity(count);
    for i in 0..count {
        let job = Arc::clone(&job);
        let worker = thread::Builder::new().name(format!("worker{i}"));
        handles.push(worker.spawn(move || job(i)).expect("spawn a worker"));
    }
    while let Some(handle) = handles.pop() {
        handle.join().expect("a worker panicked");
    }
}
