//! `racelab worker JOB`: the child-process side of the process demos
//! (hidden from `--help`). The parent starts the `racelab` binary again
//! with this command, the way Python's `multiprocessing` re-runs the
//! interpreter; see `racelab::process`.
//!
//! Every job but `echo` (which reads its standard input as data) exits as
//! soon as its standard input closes: the parent is gone. A `file-counter
//! --gate` job first reads one line from it: the parent's go.

use std::path::PathBuf;

use clap::{Args as ClapArgs, Subcommand};

use super::Status;
use crate::process;

#[derive(Debug, ClapArgs)]
pub(crate) struct Args {
    #[command(subcommand)]
    job: Job,
}

#[derive(Debug, Subcommand)]
enum Job {
    /// Print this process's pid and its parent's pid.
    Info,
    /// Add one to VALUE (this process's own copy) and print it.
    Increment { value: u64 },
    /// Read lines from standard input, answer each on standard output.
    Echo,
    /// Add one to the number in FILE, TIMES times (under a file lock with --locked).
    FileCounter {
        file: PathBuf,
        times: u64,
        #[arg(long)]
        locked: bool,
        /// Wait for a line on standard input before starting.
        #[arg(long)]
        gate: bool,
    },
    /// Integrate the lecture's function over [FROM, TO] in STEPS steps; print the partial sum.
    Integrate {
        #[arg(allow_negative_numbers = true)]
        from: f64,
        #[arg(allow_negative_numbers = true)]
        to: f64,
        steps: u64,
    },
    /// Start a detached thread, then return from main.
    Detached,
    /// Do nothing until the parent goes.
    Idle,
    /// Start N `idle` workers, print their pids, then do nothing until the parent goes.
    SpawnIdle { n: usize },
}

pub(crate) fn run(args: &Args) -> anyhow::Result<Status> {
    if let Job::FileCounter { gate: true, .. } = args.job {
        process::file_race::wait_for_go()?;
    }
    if !matches!(args.job, Job::Echo) {
        process::exit_when_parent_goes();
    }
    match &args.job {
        Job::Info => process::info::worker()?,
        Job::Increment { value } => process::isolation::worker(*value)?,
        Job::Echo => process::pipe::worker()?,
        Job::FileCounter {
            file, times, locked, ..
        } => process::file_race::worker(file, *times, *locked)?,
        Job::Integrate { from, to, steps } => crate::integrate::worker(*from, *to, *steps)?,
        Job::Detached => crate::threads::detached::worker()?,
        Job::Idle => process::idle_worker()?,
        Job::SpawnIdle { n } => process::spawn_idle_worker(*n)?,
    }
    Ok(Status::Ok)
}
