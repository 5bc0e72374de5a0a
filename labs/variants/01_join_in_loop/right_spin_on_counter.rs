// RIGHT: each worker counts itself out with a Release increment, and `run_threads` yields until an Acquire load sees all of them.
use racelab::sync::atomic::{AtomicUsize, Ordering};
use racelab::sync::{thread, Arc};

/// Runs `count` workers at the same time; worker `i` calls `job(i)`.
/// Returns when every worker has finished.
pub fn run_threads(count: usize, job: Arc<dyn Fn(usize) + Send + Sync>) {
    let finished = Arc::new(AtomicUsize::new(0).named("finished"));
    for i in 0..count {
        let (job, finished) = (Arc::clone(&job), Arc::clone(&finished));
        thread::spawn(move || {
            job(i);
            finished.fetch_add(1, Ordering::Release);
        });
    }
    while finished.load(Ordering::Acquire) < count {
        thread::yield_now();
    }
}
