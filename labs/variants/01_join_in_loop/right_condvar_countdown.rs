// RIGHT: a mutex-guarded count of running workers, and a condition variable that `run_threads` waits on until it reaches zero.
use racelab::sync::{thread, Arc, Condvar, Mutex};

/// Runs `count` workers at the same time; worker `i` calls `job(i)`.
/// Returns when every worker has finished.
pub fn run_threads(count: usize, job: Arc<dyn Fn(usize) + Send + Sync>) {
    let running = Arc::new((Mutex::new(count), Condvar::new()));
    for i in 0..count {
        let (job, running) = (Arc::clone(&job), Arc::clone(&running));
        thread::spawn(move || {
            job(i);
            let (left, all_done) = &*running;
            *left.lock().expect("a worker panicked") -= 1;
            all_done.notify_all();
        });
    }
    let (left, all_done) = &*running;
    let left = left.lock().expect("a worker panicked");
    let _left = all_done.wait_while(left, |left| *left > 0).expect("a worker panicked");
}
