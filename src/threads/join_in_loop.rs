//! The lecture's `run_threads` bug: `join` inside the loop that starts the
//! threads, so they run one after another.
//!
//! Lecture section *threading*:
//!
//! ```python
//! def run_threads(count):
//!     threads = [threading.Thread(target=thread_job, args=(i,)) for i in range(0, count)]
//!     for thread in threads:
//!         thread.start()
//!         thread.join()
//! ```
//!
//! `join` waits for the thread to finish, so thread `i + 1` is started only
//! after thread `i` has ended: `count` threads, no concurrency. Nothing
//! crashes and every job runs, so the bug hides until a job needs another
//! thread to be running at the same time. Here each job first waits at a
//! *rendezvous* for all `count` threads (a [`Barrier`]):
//! - [`JoinInLoop`] (the lecture's loop): alice waits at the rendezvous for
//!   bob, and main waits in `join` for alice before it starts bob. Nobody can
//!   go on: loom and shuttle report a **deadlock**, and the timeline shows
//!   main blocked joining alice with bob never spawned.
//! - [`SpawnThenJoin`] (the fix): start every thread in one loop, keep the
//!   handles, join them in a second loop. Costs nothing but a `Vec` of
//!   handles.
//!
//! On real threads the racy version would hang forever, so the hardware runs
//! ([`on_hardware`]) use a rendezvous with a timeout: a thread that waited
//! [`PATIENCE`] in vain gives up and *breaks* the rendezvous, so threads that
//! come later give up at once (Python's `threading.Barrier` with a timeout
//! does the same). The serialised version then returns the forbidden outcome
//! "alice waited alone: bob was not started" on every run.

use std::fmt;
use std::time::Duration;

use crate::counter::thread_name;
use crate::explore::{Grade, Scenario};
use crate::sync::atomic::{AtomicU64, Ordering};
use crate::sync::{thread, Arc, Barrier};

/// A job for thread `i`: the lecture's `target`, called with `args=(i,)`.
pub type Job<T> = Arc<dyn Fn(usize) -> T + Send + Sync>;

/// A way to run one job on each of `count` threads and wait for them all.
pub trait Starter: Send + Sync + 'static {
    /// Runs `job(i)` on threads named `alice`, `bob`, ... (`i` = 0, 1, ...)
    /// and returns their results in thread order.
    ///
    /// # Panics
    /// If a thread cannot be started, or a job panics.
    fn run_threads<T: Send + 'static>(count: usize, job: Job<T>) -> Vec<T>;
}

/// Starts thread `i`, named as timelines show it.
fn start<T: Send + 'static>(i: usize, job: &Job<T>) -> thread::JoinHandle<T> {
    let job = Arc::clone(job);
    thread::Builder::new()
        .name(thread_name(i))
        .spawn(move || job(i))
        .expect("start a thread")
}

/// The lecture's loop: start thread `i`, join it, then start thread `i + 1`.
#[derive(Debug)]
pub struct JoinInLoop;

impl Starter for JoinInLoop {
    fn run_threads<T: Send + 'static>(count: usize, job: Job<T>) -> Vec<T> {
        let mut results = Vec::with_capacity(count);
        for i in 0..count {
            let handle = start(i, &job);
            // The bug: waits for thread i to end before thread i + 1 exists.
            results.push(handle.join().expect("a job panicked"));
        }
        results
    }
}

/// The fix: start every thread, keep the handles, then join them all.
#[derive(Debug)]
pub struct SpawnThenJoin;

impl Starter for SpawnThenJoin {
    fn run_threads<T: Send + 'static>(count: usize, job: Job<T>) -> Vec<T> {
        let handles: Vec<_> = (0..count).map(|i| start(i, &job)).collect();
        handles.into_iter().map(|h| h.join().expect("a job panicked")).collect()
    }
}

/// What became of the rendezvous.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Meeting {
    /// Every thread reached the rendezvous, then did its `steps` of work.
    AllMet { threads: usize, steps: u64 },
    /// (Real threads only.) `waiter` waited [`PATIENCE`] with `arrived - 1`
    /// others and gave up; `not_started` had not even begun.
    GaveUp {
        waiter: String,
        arrived: usize,
        threads: usize,
        not_started: Vec<String>,
    },
}

impl fmt::Display for Meeting {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Meeting::AllMet { threads, steps } => write!(f, "all {threads} threads met, {steps} steps done"),
            Meeting::GaveUp {
                waiter,
                arrived,
                threads,
                not_started,
            } => {
                match arrived {
                    0 | 1 => write!(f, "{waiter} waited alone")?,
                    n => write!(f, "{waiter} waited with {} others", n - 1)?,
                }
                match not_started.as_slice() {
                    [] => write!(f, ": {} started but did not arrive in time", threads - arrived),
                    [one] => write!(f, ": {one} was not started"),
                    many => write!(f, ": {} were not started", many.join(", ")),
                }
            }
        }
    }
}

/// How long a thread waits at the rendezvous on real threads before it gives
/// up (runs happen in waves side by side, so waves, not runs, pay this).
pub const PATIENCE: Duration = Duration::from_millis(200);

/// `threads` threads started by `S`; each waits at a rendezvous for all
/// `threads`, then adds `ops` to a shared step count. Acceptable: all met
/// and `threads × ops` steps done. Under the models the serialised version
/// deadlocks; on real threads it gives up ([`on_hardware`]).
pub fn scenario<S: Starter>(name: &str, threads: usize, ops: u64) -> Scenario<Meeting> {
    let expected = Meeting::AllMet {
        threads,
        steps: threads as u64 * ops,
    };
    Scenario::new(name, move || {
        let rendezvous = Arc::new(Barrier::new(threads).named("rendezvous"));
        let steps = Arc::new(AtomicU64::new(0).named("steps"));
        let job: Job<()> = {
            let steps = Arc::clone(&steps);
            Arc::new(move |_| {
                rendezvous.wait();
                for _ in 0..ops {
                    steps.fetch_add(1, Ordering::Relaxed);
                }
            })
        };
        S::run_threads(threads, job);
        Meeting::AllMet {
            threads,
            steps: steps.load(Ordering::Relaxed),
        }
    })
    .expect(expected.to_string(), move |m| {
        if *m == expected {
            Grade::Acceptable
        } else {
            Grade::Forbidden
        }
    })
    .hardware_batch(move |runs| on_hardware::<S>(threads, ops, runs))
    .note(format!(
        "the models call a serialised run what it is, a deadlock; on real threads, where it would hang, a thread \
         gives up after waiting {} ms at the rendezvous (runs go side by side, in waves)",
        PATIENCE.as_millis()
    ))
}

/// A rendezvous on std primitives that gives up: std's `Barrier` cannot
/// time out. The first thread to give up breaks it for everyone.
#[derive(Debug)]
struct TimedRendezvous {
    state: std::sync::Mutex<Arrivals>,
    changed: std::sync::Condvar,
}

#[derive(Debug)]
struct Arrivals {
    started: Vec<bool>,
    arrived: Vec<bool>,
    broken: Option<Meeting>,
}

impl Arrivals {
    fn all_arrived(&self) -> bool {
        self.arrived.iter().all(|&a| a)
    }
}

impl TimedRendezvous {
    fn new(threads: usize) -> Self {
        TimedRendezvous {
            state: std::sync::Mutex::new(Arrivals {
                started: vec![false; threads],
                arrived: vec![false; threads],
                broken: None,
            }),
            changed: std::sync::Condvar::new(),
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Arrivals> {
        self.state.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Thread `i` has begun its job.
    fn started(&self, i: usize) {
        self.lock().started[i] = true;
    }

    /// Waits up to [`PATIENCE`] for every thread; `Err` says who gave up.
    fn wait(&self, i: usize) -> Result<(), Meeting> {
        let mut s = self.lock();
        s.arrived[i] = true;
        if let Some(broken) = &s.broken {
            return Err(broken.clone());
        }
        if s.all_arrived() {
            self.changed.notify_all();
            return Ok(());
        }
        let (mut s, _) = self
            .changed
            .wait_timeout_while(s, PATIENCE, |s| s.broken.is_none() && !s.all_arrived())
            .unwrap_or_else(|p| p.into_inner());
        if let Some(broken) = &s.broken {
            return Err(broken.clone());
        }
        if s.all_arrived() {
            return Ok(());
        }
        let gave_up = Meeting::GaveUp {
            waiter: thread_name(i),
            arrived: s.arrived.iter().filter(|&&a| a).count(),
            threads: s.arrived.len(),
            not_started: (0..s.started.len())
                .filter(|&j| !s.started[j])
                .map(thread_name)
                .collect(),
        };
        s.broken = Some(gave_up.clone());
        self.changed.notify_all();
        Err(gave_up)
    }
}

/// At most this many threads (instances' own and their jobs) at once.
const THREADS_IN_FLIGHT: usize = 256;

/// `runs` runs of the scenario on real threads, with the timed rendezvous.
/// Runs go side by side in waves (each on its own thread, as its `main`), so
/// a serialised version costs one [`PATIENCE`] per wave, not per run.
pub fn on_hardware<S: Starter>(threads: usize, ops: u64, runs: usize) -> Vec<Meeting> {
    let wave = (THREADS_IN_FLIGHT / (threads + 1)).max(1);
    let mut outcomes = Vec::with_capacity(runs);
    while outcomes.len() < runs {
        let n = wave.min(runs - outcomes.len());
        std::thread::scope(|scope| {
            let instances: Vec<_> = (0..n)
                .map(|_| scope.spawn(move || once_on_hardware::<S>(threads, ops)))
                .collect();
            for instance in instances {
                outcomes.push(instance.join().unwrap_or_else(|p| std::panic::resume_unwind(p)));
            }
        });
    }
    outcomes
}

fn once_on_hardware<S: Starter>(threads: usize, ops: u64) -> Meeting {
    let rendezvous = Arc::new(TimedRendezvous::new(threads));
    let job: Job<Result<u64, Meeting>> = Arc::new(move |i| {
        rendezvous.started(i);
        rendezvous.wait(i)?;
        let mut done = 0u64;
        for _ in 0..ops {
            done = std::hint::black_box(done + 1);
        }
        Ok(done)
    });
    match S::run_threads(threads, job)
        .into_iter()
        .collect::<Result<Vec<u64>, Meeting>>()
    {
        Ok(steps) => Meeting::AllMet {
            threads,
            steps: steps.iter().sum(),
        },
        Err(gave_up) => gave_up,
    }
}

/// Catalogue entry for [`JoinInLoop`].
pub(crate) fn build_join_in_loop(
    name: &'static str,
    params: crate::catalogue::Params,
) -> Box<dyn crate::explore::Explorable> {
    Box::new(scenario::<JoinInLoop>(name, params.threads, params.ops))
}

/// Catalogue entry for [`SpawnThenJoin`].
pub(crate) fn build_spawn_then_join(
    name: &'static str,
    params: crate::catalogue::Params,
) -> Box<dyn crate::explore::Explorable> {
    Box::new(scenario::<SpawnThenJoin>(name, params.threads, params.ops))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_meeting_reads_as_a_sentence() {
        let alone = Meeting::GaveUp {
            waiter: "alice".into(),
            arrived: 1,
            threads: 2,
            not_started: vec!["bob".into()],
        };
        assert_eq!(alone.to_string(), "alice waited alone: bob was not started");
        let met = Meeting::AllMet { threads: 2, steps: 4 };
        assert_eq!(met.to_string(), "all 2 threads met, 4 steps done");
    }
}
