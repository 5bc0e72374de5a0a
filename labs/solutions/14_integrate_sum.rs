//! Lab 14 — reference solution: each thread returns its part through its
//! `JoinHandle`, and the main thread adds the parts up, in segment order.
//! Nothing is shared, so nothing can be lost; and the sum is the same
//! whatever order the threads finish in. (A compare-exchange loop on the
//! total's bits also loses nothing, but adds the parts in the order the
//! threads finish, and float addition is not associative: with three or
//! more segments the last bits of the result could change from run to run.)

use racelab::sync::thread;

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
    let workers: Vec<_> = (0..segments)
        .map(|i| {
            thread::spawn(move || {
                let from = a + i as f64 * width;
                integrate_segment(f, from, from + width, steps)
            })
        })
        .collect();
    workers.into_iter().map(|w| w.join().expect("a worker panicked")).sum()
}
