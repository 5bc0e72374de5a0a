// RIGHT: each thread sends its part on a channel, and the main thread receives one part per segment and adds them up.
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
            parts.send(part).expect("integrate is receiving");
        });
    }
    (0..segments).map(|_| received.recv().expect("a worker panicked")).sum()
}
