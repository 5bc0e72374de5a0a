// RIGHT: the workers and `run_threads` meet at a barrier for `count + 1` after the jobs, so it lets `run_threads` through only when every job has returned.
use racelab::sync::{thread, Arc, Barrier};

/// Runs `count` workers at the same time; worker `i` calls `job(i)`.
/// Returns when every worker has finished.
pub fn run_threads(count: usize, job: Arc<dyn Fn(usize) + Send + Sync>) {
    let finish = Arc::new(Barrier::new(count + 1).named("finish"));
    for i in 0..count {
        let (job, finish) = (Arc::clone(&job), Arc::clone(&finish));
        thread::spawn(move || {
            job(i);
            finish.wait();
        });
    }
    finish.wait();
}
