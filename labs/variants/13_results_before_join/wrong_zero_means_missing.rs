// WRONG: a slot holding 0 is taken to mean "no result yet", so waiting for every slot to be non-zero never ends when a job's result is 0.
use racelab::sync::atomic::{AtomicU64, Ordering};
use racelab::sync::{thread, Arc};

/// Runs `job(0)`, `job(1)`, ..., `job(count - 1)`, each on its own thread,
/// all at the same time, and returns their results in that order.
pub fn run_jobs(count: usize, job: Arc<dyn Fn(usize) -> u64 + Send + Sync>) -> Vec<u64> {
    let slots: Arc<Vec<AtomicU64>> = Arc::new((0..count).map(|_| AtomicU64::new(0)).collect());
    for i in 0..count {
        let (job, slots) = (Arc::clone(&job), Arc::clone(&slots));
        thread::spawn(move || slots[i].store(job(i), Ordering::Release));
    }
    slots
        .iter()
        .map(|slot| loop {
            match slot.load(Ordering::Acquire) {
                0 => thread::yield_now(),
                result => break result,
            }
        })
        .collect()
}
