// RIGHT: one atomic slot per job, written Relaxed, read after every worker has been joined: the join orders each write before the read.
use racelab::sync::atomic::{AtomicU64, Ordering::Relaxed};
use racelab::sync::{thread, Arc};

/// Runs `job(0)`, `job(1)`, ..., `job(count - 1)`, each on its own thread,
/// all at the same time, and returns their results in that order.
pub fn run_jobs(count: usize, job: Arc<dyn Fn(usize) -> u64 + Send + Sync>) -> Vec<u64> {
    let slots: Arc<Vec<AtomicU64>> = Arc::new((0..count).map(|_| AtomicU64::new(u64::MAX)).collect());
    let workers: Vec<_> = (0..count)
        .map(|i| {
            let (job, slots) = (Arc::clone(&job), Arc::clone(&slots));
            thread::spawn(move || slots[i].store(job(i), Relaxed))
        })
        .collect();
    for worker in workers {
        worker.join().expect("a worker panicked");
    }
    slots.iter().map(|slot| slot.load(Relaxed)).collect()
}
