// WRONG: the mutex is held for the read and again for the write, but not in between, so two threads can still read the same total.
use racelab::sync::{thread, Arc, Mutex};

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
    let total = Arc::new(Mutex::new(0.0f64).named("total"));
    let workers: Vec<_> = (0..segments)
        .map(|i| {
            let total = Arc::clone(&total);
            thread::spawn(move || {
                let from = a + i as f64 * width;
                let part = integrate_segment(f, from, from + width, steps);
                let sum = *total.lock().expect("a worker panicked");
                *total.lock().expect("a worker panicked") = sum + part;
            })
        })
        .collect();
    for worker in workers {
        worker.join().expect("a worker panicked");
    }
    let total = *total.lock().expect("a worker panicked");
    total
}
