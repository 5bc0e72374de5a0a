//! The lecture's `timer` decorator, and `fun1`/`fun2` awaited one after the
//! other (3 + 3 = 6 s) or spawned as tasks and awaited together (3 s).
//!
//! Lecture section *asyncio*: "the fast parts of both functions ran at once,
//! and three seconds later (3, not 6!) both messages appeared". A sleeping
//! task does not hold the thread: `tokio::time::sleep` registers a timer and
//! returns `Pending`, and the runtime runs the other task meanwhile. Both
//! sleeps overlap, on one thread.
//!
//! [`timed`] reads `tokio::time::Instant`, so on a paused clock
//! (`#[tokio::test(start_paused = true)]`) the timings are exact and take no
//! real time; the tour runs the same code on the real clock, scaled down.
//!
//! Costs: nothing to fix here; the cost of concurrency is that the two
//! functions' messages now interleave.

use std::future::Future;
use std::time::Duration;

use thiserror::Error;
use tokio::time::Instant;

/// A task of the demo failed (it panicked or was cancelled).
#[derive(Debug, Error)]
#[error("a timed task failed: {0}")]
pub struct TaskFailed(#[from] tokio::task::JoinError);

/// What a timed future returned, and how long it took.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Timed<T> {
    pub value: T,
    pub elapsed: Duration,
}

/// The `timer` decorator: awaits `future` and measures how long it took on
/// tokio's clock (paused or real).
pub async fn timed<F: Future>(future: F) -> Timed<F::Output> {
    let start = Instant::now();
    let value = future.await;
    Timed {
        value,
        elapsed: start.elapsed(),
    }
}

/// `fun1(x)`: prints `x**2` at once (returned here), then sleeps `delay`.
pub async fn fun1(x: f64, delay: Duration) -> f64 {
    let fast = x * x;
    tokio::time::sleep(delay).await;
    fast
}

/// `fun2(x)`: `x**0.5` at once, then sleeps `delay`.
pub async fn fun2(x: f64, delay: Duration) -> f64 {
    let fast = x.sqrt();
    tokio::time::sleep(delay).await;
    fast
}

/// Both functions' timings, and the whole run's.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Timings {
    pub fun1: Timed<f64>,
    pub fun2: Timed<f64>,
    pub total: Duration,
}

/// `await fun1(4); await fun2(4)`: the second starts when the first ends.
pub async fn sequential(x: f64, delay: Duration) -> Timings {
    let whole = timed(async {
        let a = timed(fun1(x, delay)).await;
        let b = timed(fun2(x, delay)).await;
        (a, b)
    })
    .await;
    let (fun1, fun2) = whole.value;
    Timings {
        fun1,
        fun2,
        total: whole.elapsed,
    }
}

/// `create_task(fun1(4)); create_task(fun2(4)); await both`: both sleep at
/// once.
///
/// # Errors
/// If a task panicked or the runtime cancelled it.
pub async fn concurrent(x: f64, delay: Duration) -> Result<Timings, TaskFailed> {
    let whole = timed(async {
        let task1 = tokio::spawn(timed(fun1(x, delay)));
        let task2 = tokio::spawn(timed(fun2(x, delay)));
        Ok::<_, TaskFailed>((task1.await?, task2.await?))
    })
    .await;
    let (fun1, fun2) = whole.value?;
    Ok(Timings {
        fun1,
        fun2,
        total: whole.elapsed,
    })
}
