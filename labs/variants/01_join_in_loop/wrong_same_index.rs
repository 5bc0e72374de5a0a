// WRONG: every worker reads a shared "next job" counter that the spawning loop bumps after the spawn, so a job can run twice and another never.
use racelab::sync::atomic::{AtomicUsize, Ordering::SeqCst};
use racelab::sync::{thread, Arc};

/// Runs `count` workers at the same time; worker `i` calls `job(i)`.
/// Returns when every worker has finished.
pub fn run_threads(count: usize, job: Arc<dyn Fn(usize) + Send + Sync>) {
    let next = Arc::new(AtomicUsize::new(0).named("next"));
    let mut handles = Vec::new();
    for _ in 0..count {
        let (job, mine) = (Arc::clone(&job), Arc::clone(&next));
        handles.push(thread::spawn(move || job(mine.load(SeqCst))));
        next.fetch_add(1, SeqCst);
    }
    for handle in handles {
        handle.join().expect("a worker panicked");
    }
}
