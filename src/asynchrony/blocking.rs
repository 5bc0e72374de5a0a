//! A blocking call inside an async task: `std::thread::sleep` (or any
//! blocking I/O) holds the runtime's thread, and on a current-thread
//! runtime every other task stops until it returns.
//!
//! Lecture section *asyncio*: "instead of the usual `time.sleep` we used
//! `asyncio.sleep`, a non-blocking sleep: within the function it behaves
//! the same, but it does not stop the interpreter as a whole". Here a
//! heartbeat task beats every tick while a worker task waits; [`stall`]
//! counts the heartbeats that happened during the wait and measures the
//! longest gap between two of them.
//!
//! | [`Wait`] | the wait is | heartbeats during it |
//! |---|---|---|
//! | `Blocking` | `std::thread::sleep` in the task | none: the thread is taken |
//! | `AsyncSleep` | `tokio::time::sleep(..).await` | keep coming |
//! | `SpawnBlocking` | the blocking call moved to `spawn_blocking`'s pool | keep coming |
//!
//! Costs of the fixes: none for an async sleep; `spawn_blocking` costs a
//! pool thread per blocking call in flight (the right tool for blocking I/O
//! or CPU work that has no async form).

use std::io;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering::SeqCst};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::time::Instant;

/// How the worker task waits.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Wait {
    /// `std::thread::sleep`: blocks the runtime's only thread.
    Blocking,
    /// `tokio::time::sleep(..).await`: suspends only this task.
    AsyncSleep,
    /// `tokio::task::spawn_blocking(|| std::thread::sleep(..)).await`.
    SpawnBlocking,
}

impl Wait {
    /// All three, in the order the tour shows them.
    pub const ALL: [Wait; 3] = [Wait::Blocking, Wait::AsyncSleep, Wait::SpawnBlocking];

    /// The call, as code.
    pub fn code(self) -> &'static str {
        match self {
            Wait::Blocking => "std::thread::sleep(d)",
            Wait::AsyncSleep => "tokio::time::sleep(d).await",
            Wait::SpawnBlocking => "spawn_blocking(|| std::thread::sleep(d)).await",
        }
    }
}

/// What the heartbeat did while the worker waited.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Stall {
    pub wait: Wait,
    /// How long the worker was asked to wait.
    pub asked: Duration,
    /// Heartbeats that ran between the start and the end of the wait.
    pub beats_during_wait: u64,
    /// The longest time (on tokio's clock) between two heartbeats, or
    /// between the last one and the end of the wait.
    pub longest_gap: Duration,
}

/// [`stall_here`] on a fresh current-thread runtime on the real clock.
///
/// # Errors
/// If the runtime cannot be built, or a task failed.
pub fn stall(wait: Wait, asked: Duration, tick: Duration) -> io::Result<Stall> {
    tokio::runtime::Builder::new_current_thread()
        .enable_time()
        .build()?
        .block_on(stall_here(wait, asked, tick))
}

/// Starts a heartbeat task that beats every `tick`, lets it beat once, then
/// waits `wait`-wise for `asked` and reports what the heartbeat managed
/// meanwhile. Run it on a current-thread runtime (`#[tokio::test]`, or
/// [`stall`]): there, one thread runs every task, so a blocking wait stops
/// the heartbeat dead. On a paused clock the async wait's count is exact.
///
/// # Errors
/// If a task failed.
pub async fn stall_here(wait: Wait, asked: Duration, tick: Duration) -> io::Result<Stall> {
    let beats = Arc::new(AtomicU64::new(0));
    let done = Arc::new(AtomicBool::new(false));
    let gaps = Arc::new(Mutex::new(Gaps::default()));
    let heartbeat = tokio::spawn({
        let (beats, done, gaps) = (beats.clone(), done.clone(), gaps.clone());
        async move {
            while !done.load(SeqCst) {
                lock(&gaps).beat(Instant::now());
                beats.fetch_add(1, SeqCst);
                tokio::time::sleep(tick).await;
            }
        }
    });
    // Let the heartbeat beat once; measure from there.
    tokio::task::yield_now().await;
    lock(&gaps).reset(Instant::now());
    let before = beats.load(SeqCst);
    match wait {
        Wait::Blocking => std::thread::sleep(asked),
        Wait::AsyncSleep => tokio::time::sleep(asked).await,
        Wait::SpawnBlocking => tokio::task::spawn_blocking(move || std::thread::sleep(asked))
            .await
            .map_err(io::Error::other)?,
    }
    let beats_during_wait = beats.load(SeqCst) - before;
    let longest_gap = {
        let mut gaps = lock(&gaps);
        gaps.beat(Instant::now());
        gaps.longest
    };
    done.store(true, SeqCst);
    heartbeat.await.map_err(io::Error::other)?;
    Ok(Stall {
        wait,
        asked,
        beats_during_wait,
        longest_gap,
    })
}

/// The longest time between two beats so far.
#[derive(Debug, Default)]
struct Gaps {
    last: Option<Instant>,
    longest: Duration,
}

impl Gaps {
    fn beat(&mut self, now: Instant) {
        if let Some(last) = self.last {
            self.longest = self.longest.max(now - last);
        }
        self.last = Some(now);
    }

    fn reset(&mut self, now: Instant) {
        *self = Gaps {
            last: Some(now),
            longest: Duration::ZERO,
        };
    }
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|p| p.into_inner())
}
