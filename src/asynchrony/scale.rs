//! Scale: ten thousand tasks that each sleep 100 ms finish in about 100 ms
//! on one thread, not in 1,000 s; ten thousand OS threads can do the same,
//! at the price of ten thousand stacks and the time to start them.
//!
//! Lecture section *asyncio*: waiting is what async is for. A sleeping task
//! is a small state machine in the timer wheel, not a thread: the numbers
//! are in `benches/async_scale.rs` (see `BENCHMARKS.md`).
//!
//! Costs: tasks only overlap where they await; a task that computes (or
//! blocks, see [`super::blocking`]) holds the thread.

use std::io;
use std::time::{Duration, Instant};

/// `tasks` tokio tasks on a current-thread runtime, each sleeping `each`;
/// returns the wall time of the whole run.
///
/// # Errors
/// If the runtime cannot be built, or a task failed.
pub fn sleeping_tasks(tasks: usize, each: Duration) -> io::Result<Duration> {
    let runtime = tokio::runtime::Builder::new_current_thread().enable_time().build()?;
    let start = Instant::now();
    runtime.block_on(async {
        let handles: Vec<_> = (0..tasks).map(|_| tokio::spawn(tokio::time::sleep(each))).collect();
        for h in handles {
            h.await.map_err(io::Error::other)?;
        }
        Ok::<_, io::Error>(())
    })?;
    Ok(start.elapsed())
}

/// `threads` OS threads (small stacks), each sleeping `each`; returns the
/// wall time and how many threads actually started (the OS may refuse some:
/// the run then goes on with the ones it got).
pub fn sleeping_threads(threads: usize, each: Duration) -> (Duration, usize) {
    let start = Instant::now();
    let handles: Vec<_> = (0..threads)
        .map_while(|_| {
            std::thread::Builder::new()
                .stack_size(64 * 1024)
                .spawn(move || std::thread::sleep(each))
                .ok()
        })
        .collect();
    let started = handles.len();
    for h in handles {
        let _ = h.join();
    }
    (start.elapsed(), started)
}
