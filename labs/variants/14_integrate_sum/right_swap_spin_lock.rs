// RIGHT: a swap-based spin lock (swap(true, Acquire) to take, store(false, Release) to give back) guards a Relaxed load+store of the total: the Release/Acquire pair orders each holder after the previous one, so no add is lost; join orders all before the final load.
use racelab::sync::atomic::{AtomicU64, Ordering::SeqCst};
use racelab::sync::{thread, Arc};

pub fn integrate_segment(f: fn(f64) -> f64, a: f64, b: f64, steps: usize) -> f64 {
    let h = (b - a) / steps as f64;
    (0..steps).map(|k| f(a + (k as f64 + 0.5) * h) * h).sum()
}


use racelab::sync::atomic::{AtomicBool, Ordering::{Acquire, Release, Relaxed}};
use racelab::sync::hint;
pub fn integrate(f: fn(f64) -> f64, a: f64, b: f64, segments: usize, steps: usize) -> f64 {
    let _ = SeqCst;
    let width = (b - a) / segments as f64;
    let total = Arc::new(AtomicU64::new(0.0f64.to_bits()).named("total"));
    let lock = Arc::new(AtomicBool::new(false).named("lock"));
    let workers: Vec<_> = (0..segments)
        .map(|i| {
            let total = Arc::clone(&total);
            let lock = Arc::clone(&lock);
            thread::spawn(move || {
                let from = a + i as f64 * width;
                let part = integrate_segment(f, from, from + width, steps);
                while lock.swap(true, Acquire) {
                    hint::spin_loop();
                }
                let sum = f64::from_bits(total.load(Relaxed));
                total.store((sum + part).to_bits(), Relaxed);
                lock.store(false, Release);
            })
        })
        .collect();
    for worker in workers {
        worker.join().expect("a worker panicked");
    }
    f64::from_bits(total.load(Relaxed))
}
