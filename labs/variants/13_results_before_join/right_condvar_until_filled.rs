// RIGHT: workers fill the table and count themselves under one mutex; run_jobs waits on a condition variable until every result is in.
use racelab::sync::{thread, Arc, Condvar, Mutex};

/// Runs `job(0)`, `job(1)`, ..., `job(count - 1)`, each on its own thread,
/// all at the same time, and returns their results in that order.
pub fn run_jobs(count: usize, job: Arc<dyn Fn(usize) -> u64 + Send + Sync>) -> Vec<u64> {
    let shared = Arc::new((Mutex::new((vec![0; count], 0)).named("results"), Condvar::new()));
    for i in 0..count {
        let (job, shared) = (Arc::clone(&job), Arc::clone(&shared));
        thread::spawn(move || {
            let result = job(i);
            let (table, filled) = &*shared;
            let mut table = table.lock().expect("a worker panicked");
            table.0[i] = result;
            table.1 += 1;
            filled.notify_one();
        });
    }
    let (table, filled) = &*shared;
    let table = table.lock().expect("a worker panicked");
    let table = filled
        .wait_while(table, |(_, done)| *done < count)
        .expect("a worker panicked");
    table.0.clone()
}
