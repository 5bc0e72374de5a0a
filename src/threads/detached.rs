//! Detached threads (the lecture's `daemon=True`): a thread nobody joins is
//! stopped when `main` returns.
//!
//! Lecture section *threading*: "`daemon=True` marks a service thread;
//! service threads are stopped forcibly when the process ends". In Rust
//! every thread is like that: dropping a `JoinHandle` detaches the thread,
//! and when `main` returns the process exits, whatever its other threads
//! were doing — no destructor of theirs runs, no `finally`. (Python waits
//! for non-daemon threads before exiting; Rust has no such kind: to wait,
//! `join`.)
//!
//! The demo needs a process that ends, so it runs in a child:
//! [`worker`] (`racelab worker detached`) starts a thread that would print a
//! numbered tick every [`TICK`] for [`TICKS`] ticks and then
//! `thread finished`; `main` waits for the first tick (through a channel,
//! not a sleep), prints `main returns`, and returns. [`demo`] runs it and
//! collects its lines: `thread finished` never appears. The fix, when the
//! thread's work matters: keep the handle and `join` it (or tell it to stop
//! and then join), at the cost of `main` waiting for it.

use std::io::{self, Write};
use std::path::Path;
use std::process::ExitStatus;
use std::sync::mpsc;
use std::time::{Duration, Instant};

use crate::process::{worker_command, Worker};

/// How often the detached thread prints.
pub const TICK: Duration = Duration::from_millis(10);
/// How many ticks it would print before finishing (10 s).
pub const TICKS: u64 = 1_000;
/// The detached thread's last line, which never comes.
pub const FINISHED: &str = "thread finished";
/// `main`'s last line.
pub const MAIN_RETURNS: &str = "main returns";

/// `racelab worker detached`: the child-process side of the demo.
///
/// # Errors
/// If the thread cannot be started, or it ended before its first tick.
pub fn worker() -> io::Result<()> {
    let (first_tick, ticked) = mpsc::channel();
    // The handle is dropped at once: the thread is detached.
    std::thread::Builder::new().name("detached".into()).spawn(move || {
        for n in 1..=TICKS {
            if writeln!(io::stdout().lock(), "tick {n}").is_err() {
                return;
            }
            if n == 1 {
                let _ = first_tick.send(());
            }
            std::thread::sleep(TICK);
        }
        let _ = writeln!(io::stdout().lock(), "{FINISHED}");
    })?;
    ticked
        .recv()
        .map_err(|_| io::Error::other("the detached thread ended before its first tick"))?;
    writeln!(io::stdout().lock(), "{MAIN_RETURNS}")?;
    Ok(())
}

/// What the child printed, and how it ended.
#[derive(Debug)]
pub struct DetachedRun {
    /// Every line the child wrote to standard output.
    pub lines: Vec<String>,
    pub status: ExitStatus,
    /// From starting the child to its exit.
    pub elapsed: Duration,
}

impl DetachedRun {
    /// Tick lines the detached thread printed before the process ended.
    pub fn ticks(&self) -> usize {
        self.lines.iter().filter(|l| l.starts_with("tick ")).count()
    }

    /// Whether `main` printed its last line.
    pub fn main_returned(&self) -> bool {
        self.lines.iter().any(|l| l == MAIN_RETURNS)
    }

    /// Whether the detached thread got to its end (it should not).
    pub fn thread_finished(&self) -> bool {
        self.lines.iter().any(|l| l == FINISHED)
    }

    /// The lesson held: the thread ran, `main` returned, the process exited
    /// cleanly, and the thread never finished.
    pub fn stopped_with_main(&self) -> bool {
        self.status.success() && self.ticks() >= 1 && self.main_returned() && !self.thread_finished()
    }
}

/// Runs `exe worker detached` and collects what it printed.
///
/// # Errors
/// If the child cannot be started or read.
pub fn demo(exe: &Path) -> io::Result<DetachedRun> {
    let start = Instant::now();
    let child = Worker::spawn(worker_command(exe, ["detached"]))?;
    let output = child.wait_with_output()?;
    Ok(DetachedRun {
        lines: String::from_utf8_lossy(&output.stdout)
            .lines()
            .map(str::to_owned)
            .collect(),
        status: output.status,
        elapsed: start.elapsed(),
    })
}
