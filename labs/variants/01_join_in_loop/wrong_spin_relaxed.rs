// WRONG: waits for a counter the workers bump with Relaxed, so seeing the count does not make the jobs' work visible to the caller.
use racelab::sync::atomic::{AtomicUsize, Ordering::Relaxed};
use racelab::sync::{thread, Arc};

/// Runs `count` workers at the same time; worker `i` calls `job(i)`.
/// Returns when every worker has finished.
pub fn run_threads(count: usize, job: Arc<dyn Fn(usize) + Send + Sync>) {
    let finished = Arc::new(AtomicUsize::new(0).named("finished"));
    for i in 0..count {
        let (job, finished) = (Arc::clone(&job), Arc::clone(&finished));
        thread::spawn(move || {
            job(i);
            finished.fetch_add(1, Relaxed);
        });
    }
    while finished.load(Relaxed) < count {
        thread::yield_now();
    }
}
