//! Processes: the lecture's `multiprocessing` section in Rust.
//!
//! Rust has no `fork` in its standard library, so a child process here is
//! the `racelab` binary itself, re-run with the hidden `worker` command
//! (`racelab worker info`, `racelab worker integrate ...`), the way
//! `multiprocessing`'s "spawn" start method re-runs the interpreter.
//!
//! Every child is started through [`Worker`], which guarantees two things:
//! - **reaped**: dropping a [`Worker`] that was not waited for kills the
//!   child and waits for it, so no zombie is left, whatever path the parent
//!   takes (an error, a panic);
//! - **never orphaned**: the child's standard input is a pipe from the
//!   parent that the parent never writes to. The worker watches it
//!   ([`exit_when_parent_goes`]); when the parent dies, even by `SIGKILL`,
//!   the kernel closes the pipe, the read returns end-of-file, and the
//!   worker exits. No signal handler, no `unsafe`, no platform API.

pub mod file_race;
pub mod info;
pub mod isolation;
pub mod pipe;

use std::ffi::OsStr;
use std::io;
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStderr, ChildStdin, ChildStdout, Command, ExitStatus, Output, Stdio};

use thiserror::Error;

/// Overrides where the `racelab` binary is looked for.
pub const EXE_VAR: &str = "RACELAB_EXE";

/// The `racelab` binary, to re-run as a worker: `$RACELAB_EXE` if set; this
/// process's own executable if it is `racelab`; else a `racelab` next to
/// it or one folder up (where cargo puts it for test and bench binaries,
/// which live in `target/<profile>/deps/`).
pub fn racelab_exe() -> io::Result<PathBuf> {
    if let Some(p) = std::env::var_os(EXE_VAR) {
        return Ok(PathBuf::from(p));
    }
    let me = std::env::current_exe()?;
    let name = format!("racelab{}", std::env::consts::EXE_SUFFIX);
    if me.file_name() == Some(OsStr::new(&name)) {
        return Ok(me);
    }
    let dir = me.parent().map(Path::to_path_buf).unwrap_or_default();
    for candidate in [dir.join(&name), dir.parent().map(|d| d.join(&name)).unwrap_or_default()] {
        if candidate.is_file() {
            return Ok(candidate);
        }
    }
    Err(io::Error::new(
        io::ErrorKind::NotFound,
        format!(
            "cannot find the racelab binary next to {} (set {EXE_VAR})",
            me.display()
        ),
    ))
}

/// `exe worker <args>`: the command that runs one worker job.
pub fn worker_command<I, S>(exe: &Path, args: I) -> Command
where
    I: IntoIterator<Item = S>,
    S: AsRef<OsStr>,
{
    let mut cmd = Command::new(exe);
    cmd.arg("worker").args(args);
    cmd
}

/// A child process that is always reaped: killed and waited for on drop
/// unless it was waited for already.
#[derive(Debug)]
pub struct Worker {
    child: Option<Child>,
}

impl Worker {
    /// Starts `cmd` with its standard input a pipe from this process (the
    /// child's lifeline, see the module doc) and its standard output piped
    /// back. Standard error is inherited.
    pub fn spawn(mut cmd: Command) -> io::Result<Self> {
        let child = cmd.stdin(Stdio::piped()).stdout(Stdio::piped()).spawn()?;
        Ok(Worker { child: Some(child) })
    }

    fn child(&mut self) -> &mut Child {
        self.child.as_mut().expect("a Worker holds its child until waited for")
    }

    /// The child's process id.
    pub fn id(&self) -> u32 {
        self.child.as_ref().map_or(0, Child::id)
    }

    /// The pipe the child writes to, to read from while it runs.
    pub fn stdout(&mut self) -> Option<&mut ChildStdout> {
        self.child().stdout.as_mut()
    }

    /// The pipe to the child's standard input, for workers that read it
    /// (closing it tells any worker that the parent is gone).
    pub fn stdin(&mut self) -> Option<&mut std::process::ChildStdin> {
        self.child().stdin.as_mut()
    }

    /// Takes the pipe to the child's standard input, for a thread that
    /// writes to it while this one reads the child's answers (so that
    /// neither side can fill a pipe the other is not draining). Dropping it
    /// closes the pipe, as [`Worker::close_stdin`] does.
    pub fn take_stdin(&mut self) -> Option<ChildStdin> {
        self.child().stdin.take()
    }

    /// The pipe the child writes its errors to, when the command was given
    /// `Stdio::piped()` for standard error (by default it is inherited).
    pub fn stderr(&mut self) -> Option<&mut ChildStderr> {
        self.child().stderr.as_mut()
    }

    /// Closes the child's standard input: a worker watching it exits, one
    /// reading it sees end-of-file.
    pub fn close_stdin(&mut self) {
        drop(self.child().stdin.take());
    }

    /// Waits for the child to exit and collects what it wrote to standard
    /// output. Its standard input stays open until it has exited (a worker
    /// watching it would take an early close for the parent's death): call
    /// [`Worker::close_stdin`] first for a worker that reads it to the end.
    pub fn wait_with_output(mut self) -> io::Result<Output> {
        let mut child = self.child.take().expect("a Worker holds its child until waited for");
        let mut stdout = Vec::new();
        if let Some(mut out) = child.stdout.take() {
            if let Err(e) = io::Read::read_to_end(&mut out, &mut stdout) {
                let _ = child.kill();
                let _ = child.wait();
                return Err(e);
            }
        }
        // Standard output at end-of-file: the child has exited (or closed
        // it); `Child::wait` would close stdin first, so hold it open.
        let lifeline = child.stdin.take();
        let status = child.wait();
        drop(lifeline);
        let status = status?;
        Ok(Output {
            status,
            stdout,
            stderr: Vec::new(),
        })
    }

    /// Waits for the child to exit (its standard input stays open until then).
    pub fn wait(mut self) -> io::Result<ExitStatus> {
        let mut child = self.child.take().expect("a Worker holds its child until waited for");
        // `Child::wait` closes the child's stdin before waiting, which a
        // worker watching it takes for its parent's death: hold it open.
        let lifeline = child.stdin.take();
        let status = child.wait();
        drop(lifeline);
        status
    }

    /// Kills the child and waits for it.
    pub fn kill(mut self) -> io::Result<ExitStatus> {
        let mut child = self.child.take().expect("a Worker holds its child until waited for");
        let _ = child.kill();
        child.wait()
    }
}

impl Drop for Worker {
    fn drop(&mut self) {
        if let Some(mut child) = self.child.take() {
            // Already exited is fine; then wait() just collects the status.
            let _ = child.kill();
            let _ = child.wait();
        }
    }
}

/// A worker that did not do its job.
#[derive(Debug, Error)]
pub enum WorkerError {
    /// The child exited unsuccessfully.
    #[error("`racelab worker {job}` exited with {status}")]
    Failed {
        /// The worker job.
        job: &'static str,
        /// How it exited.
        status: ExitStatus,
    },
    /// The child's answer on standard output is not what the job prints.
    #[error("`racelab worker {job}` answered {answer:?}, not {what}")]
    BadAnswer {
        /// The worker job.
        job: &'static str,
        /// What it printed.
        answer: String,
        /// What was expected instead.
        what: &'static str,
    },
}

impl From<WorkerError> for io::Error {
    fn from(e: WorkerError) -> io::Error {
        io::Error::new(io::ErrorKind::InvalidData, e)
    }
}

/// Waits for `worker` and returns its standard output as text, or an
/// error if it exited unsuccessfully.
pub(crate) fn answer_of(worker: Worker, job: &'static str) -> io::Result<String> {
    let out = worker.wait_with_output()?;
    if !out.status.success() {
        return Err(WorkerError::Failed {
            job,
            status: out.status,
        }
        .into());
    }
    Ok(String::from_utf8_lossy(&out.stdout).into_owned())
}

/// In a worker: exits the process (status 3) as soon as standard input
/// reaches end-of-file, which happens when the parent closes it or dies.
/// Runs on a background thread; call it once, first thing.
pub fn exit_when_parent_goes() {
    let _ = std::thread::Builder::new().name("parent-watch".into()).spawn(|| {
        let mut sink = [0u8; 64];
        let mut stdin = io::stdin().lock();
        loop {
            match io::Read::read(&mut stdin, &mut sink) {
                Ok(0) | Err(_) => std::process::exit(3),
                Ok(_) => {}
            }
        }
    });
}

/// `racelab worker idle`: does nothing until the parent goes (for tests of
/// the lifeline).
pub fn idle_worker() -> io::Result<()> {
    loop {
        std::thread::park();
    }
}

/// `racelab worker spawn-idle N`: starts `N` `racelab worker idle` children
/// (through [`Worker`]), prints their pids one a line, then does nothing
/// until its own parent goes. For the test that kills this process with
/// `SIGKILL` and checks that its children do not outlive it: nothing here
/// reaps or kills them then (no destructor runs after a `SIGKILL`), only
/// their lifeline closing (see the module doc).
pub fn spawn_idle_worker(n: usize) -> io::Result<()> {
    let exe = racelab_exe()?;
    let workers = (0..n)
        .map(|_| Worker::spawn(worker_command(&exe, ["idle"])))
        .collect::<io::Result<Vec<_>>>()?;
    let mut out = io::stdout().lock();
    for w in &workers {
        io::Write::write_all(&mut out, format!("{}\n", w.id()).as_bytes())?;
    }
    io::Write::flush(&mut out)?;
    drop(out);
    idle_worker()
}
