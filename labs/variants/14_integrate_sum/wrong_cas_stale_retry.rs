// WRONG: the compare_exchange is retried with the value loaded before the loop, so once another thread has changed the total it never succeeds.
use racelab::sync::atomic::{AtomicU64, Ordering::SeqCst};
use racelab::sync::{thread, Arc};

/// ∫ f over [a, b] by the midpoint rule with `steps` rectangles. (Correct
/// as it is: the lab is about how the parts are added up.)
pub fn integrate_segment(f: fn(f64) -> f64, a: f64, b: f64, steps: usize) -> f64 {
    let h = (b - a) / steps as f64;
    (0..steps).map(|k| f(a + (k as f64 + 0.5) * h) * h).sum()
}

/// ∫ f over [a, b]: the range is split into `segments` equal segments, each
/// integrated on its own thread with `steps` rectangles, and the parts are
/// added up.
pub fn integrate(f: fn(f64) -> f64, a: f64, b: f64, segments: usize, steps: usize) -> f64 {
    let width = (b - a) / segments as f64;
    let total = Arc::new(AtomicU64::new(0.0f64.to_bits()).named("total"));
    let workers: Vec<_> = (0..segments)
        .map(|i| {
            let total = Arc::clone(&total);
            thread::spawn(move || {
                let from = a + i as f64 * width;
                let part = integrate_segment(f, from, from + width, steps);
                let seen = total.load(SeqCst);
                let sum = (f64::from_bits(seen) + part).to_bits();
                while total.compare_exchange(seen, sum, SeqCst, SeqCst).is_err() {
                    thread::yield_now();
                }
            })
        })
        .collect();
    for worker in workers {
        worker.join().expect("a worker panicked");
    }
    f64::from_bits(total.load(SeqCst))
}
