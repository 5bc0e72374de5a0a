// WRONG: joins the first and the last worker only; with three or more, the ones in between are never waited for.
use racelab::sync::{thread, Arc};

/// Runs `count` workers at the same time; worker `i` calls `job(i)`.
/// Returns when every worker has finished.
pub fn run_threads(count: usize, job: Arc<dyn Fn(usize) + Send + Sync>) {
    let mut handles: Vec<_> = (0..count)
        .map(|i| {
            let job = Arc::clone(&job);
            thread::spawn(move || job(i))
        })
        .collect();
    if let Some(last) = handles.pop() {
        last.join().expect("a worker panicked");
    }
    if !handles.is_empty() {
        handles.remove(0).join().expect("a worker panicked");
    }
}
