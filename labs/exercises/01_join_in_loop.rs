//! Lab 01 — threads that take turns.
//!
//! The lecture's first threading example starts four threads with
//! `thread.start()` and waits for each with `thread.join()` in the same
//! loop. Here is that loop in Rust. The check gives each worker a job that
//! only finishes when *all* workers are running at once (they meet at a
//! barrier), so workers that run one after another never finish.
//!
//! Edit only this file. Check it with `racelab check 1`.

use racelab::sync::{thread, Arc};

/// Runs `count` workers at the same time; worker `i` calls `job(i)`.
/// Returns when every worker has finished.
pub fn run_threads(count: usize, job: Arc<dyn Fn(usize) + Send + Sync>) {
    for i in 0..count {
        let job = Arc::clone(&job);
        let handle = thread::spawn(move || job(i));
        // TODO: waiting here means the next worker starts only when this
        // one is done. Start them all first, then wait for them all.
        handle.join().expect("a worker panicked");
    }
}
