//! The command line: one module per command. Each parses its arguments,
//! calls the library and prints; everything it shows can be had from the
//! library too.
//!
//! Exit codes: 0 success, 1 a race or failed check, 2 bad usage.

mod bench_report;
mod check;
mod explore;
mod hint;
mod labs;
mod list;
mod progress;
mod reset;
mod style;
mod tour;
mod verify;
mod watch;
mod worker;

use std::process::ExitCode;

use clap::{Parser, Subcommand};

/// A race-condition lab: see, break, prove and measure concurrent Rust code.
///
/// With no command, runs the tour: the shared counter losing updates on
/// real threads, the interleaving a model checker finds, and each fix
/// holding.
#[derive(Debug, Parser)]
#[command(name = "racelab", version, about, long_about)]
pub struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Walk through a race, the interleaving behind it, and its fixes (the default).
    Tour(tour::Args),
    /// List every scenario as topic::variant.
    List(list::Args),
    /// Explore one scenario on hardware, shuttle and/or loom; print the outcome table and the first bad timeline.
    Explore(explore::Args),
    /// List the student labs with their state (done, failing, not started).
    Labs(labs::Args),
    /// Check one lab: under every schedule loom and shuttle explore (labs 15 and 17: real processes and threads).
    Check(check::Args),
    /// Show the hint for a lab.
    Hint(hint::Args),
    /// Check the current lab, then re-check each lab whose exercise is saved.
    Watch(watch::Args),
    /// Put a lab's starter back (your file is kept as a backup first).
    Reset(reset::Args),
    /// Grade the graders: every starter and wrong variant rejected, every solution and right variant accepted (CI).
    Verify(verify::Args),
    /// Write BENCHMARKS.md and its plots from criterion's saved results (run `cargo bench` first).
    BenchReport(bench_report::Args),
    /// Run one job as a child process of another racelab (used by the process demos).
    #[command(hide = true)]
    Worker(worker::Args),
}

/// How a command ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    /// Everything held.
    Ok,
    /// A race was found, or a check failed.
    Failed,
    /// The command could not run as asked.
    Usage,
}

impl From<Status> for ExitCode {
    fn from(s: Status) -> ExitCode {
        ExitCode::from(match s {
            Status::Ok => 0,
            Status::Failed => 1,
            Status::Usage => 2,
        })
    }
}

/// Writes to standard output. A reader that went away (`racelab list |
/// head`) is not an error worth a panic: the rest is dropped.
pub(crate) fn emit(text: &str) {
    use std::io::Write;
    let mut out = std::io::stdout().lock();
    let _ = out.write_all(text.as_bytes()).and_then(|()| out.flush());
}

/// The labs, and the one `which` names; an unknown lab is bad usage.
pub(crate) fn find_lab(which: &str) -> anyhow::Result<Result<(crate::labs::Labs, crate::labs::Lab), Status>> {
    let labs = crate::labs::Labs::find()?;
    Ok(match labs.get(which) {
        Ok(lab) => {
            let lab = lab.clone();
            Ok((labs, lab))
        }
        Err(e) => Err(usage_error(e)),
    })
}

/// Reports bad usage in one line (no backtrace), and exits 2.
pub(crate) fn usage_error(message: impl std::fmt::Display) -> Status {
    eprintln!("error: {message}");
    Status::Usage
}

/// Parses the command line and runs the command.
pub fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        None => tour::run(&tour::Args::default()),
        Some(Command::Tour(args)) => tour::run(&args),
        Some(Command::List(args)) => list::run(&args),
        Some(Command::Explore(args)) => explore::run(&args),
        Some(Command::Labs(args)) => labs::run(&args),
        Some(Command::Check(args)) => check::run(&args),
        Some(Command::Hint(args)) => hint::run(&args),
        Some(Command::Watch(args)) => watch::run(&args),
        Some(Command::Reset(args)) => reset::run(&args),
        Some(Command::Verify(args)) => verify::run(&args),
        Some(Command::BenchReport(args)) => bench_report::run(&args),
        Some(Command::Worker(args)) => worker::run(&args),
    };
    match result {
        Ok(status) => status.into(),
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::from(1)
        }
    }
}
