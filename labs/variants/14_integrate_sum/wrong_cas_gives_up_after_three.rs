// WRONG: CAS loop bounded at MAX_RETRIES = 3 attempts, then it gives up silently: with n threads a worker can fail n-1 times, so 3 attempts always suffice for 2-3 segments but with 4+ segments a part is dropped.
use racelab::sync::atomic::{AtomicU64, Ordering::SeqCst};
use racelab::sync::{thread, Arc};

pub fn integrate_segment(f: fn(f64) -> f64, a: f64, b: f64, steps: usize) -> f64 {
    let h = (b - a) / steps as f64;
    (0..steps).map(|k| f(a + (k as f64 + 0.5) * h) * h).sum()
}


const MAX_RETRIES: usize = 3;
pub fn integrate(f: fn(f64) -> f64, a: f64, b: f64, segments: usize, steps: usize) -> f64 {
    let width = (b - a) / segments as f64;
    let total = Arc::new(AtomicU64::new(0.0f64.to_bits()).named("total"));
    let workers: Vec<_> = (0..segments)
        .map(|i| {
            let total = Arc::clone(&total);
            thread::spawn(move || {
                let from = a + i as f64 * width;
                let part = integrate_segment(f, from, from + width, steps);
                let mut cur = total.load(SeqCst);
                for _ in 0..MAX_RETRIES {
                    let new = (f64::from_bits(cur) + part).to_bits();
                    match total.compare_exchange(cur, new, SeqCst, SeqCst) {
                        Ok(_) => break,
                        Err(actual) => cur = actual,
                    }
                }
            })
        })
        .collect();
    for worker in workers {
        worker.join().expect("a worker panicked");
    }
    f64::from_bits(total.load(SeqCst))
}
