// WRONG: drains the channel with try_recv right after starting the threads, so parts not sent yet are never added.
use racelab::sync::{mpsc, thread};

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
    let (parts, received) = mpsc::channel();
    for i in 0..segments {
        let parts = parts.clone();
        thread::spawn(move || {
            let from = a + i as f64 * width;
            let part = integrate_segment(f, from, from + width, steps);
            let _ = parts.send(part);
        });
    }
    let mut total = 0.0;
    while let Ok(part) = received.try_recv() {
        total += part;
    }
    total
}
