//! Processes do not share memory: a child adds one to its copy of a
//! counter, and the parent's stays where it was.
//!
//! Lecture section *multiprocessing*: "each process runs independently of
//! the others", which is how it escapes the GIL, and also why the threads'
//! races on a shared variable do not happen between processes: there is no
//! shared variable. In Python (and C) this is shown with `fork`: the child
//! starts with a copy of the parent's memory, changes it, and the parent
//! sees nothing. Rust's standard library has no `fork` (forking a process
//! that runs threads is unsound), so the child here is the `racelab` binary
//! started again (`racelab worker increment VALUE`) and it gets its copy of
//! the counter through its arguments. The observable fact is the same as
//! with `fork`: two address spaces, and a write in one is not seen in the
//! other.
//!
//! What it costs: anything the processes must share has to be copied
//! through a channel the kernel provides (arguments, a pipe:
//! [`super::pipe`]; a file: [`super::file_race`], where the races come
//! back).

use std::io::{self, Write};
use std::path::Path;

use super::{answer_of, worker_command, Worker, WorkerError};

/// The counter, seen by the parent before and after, and by the child.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Isolation {
    /// The parent's counter before it started the child.
    pub parent_before: u64,
    /// What the child reports its copy holds after adding one.
    pub child: u64,
    /// The parent's counter after the child exited.
    pub parent_after: u64,
}

impl Isolation {
    /// Whether the child changed its copy and the parent's did not move.
    pub fn isolated(&self) -> bool {
        self.parent_before.checked_add(1) == Some(self.child) && self.parent_after == self.parent_before
    }
}

/// `racelab worker increment VALUE`: adds one to its own copy of the
/// counter and prints it.
pub fn worker(value: u64) -> io::Result<()> {
    let mut counter = value;
    counter = counter
        .checked_add(1)
        .ok_or_else(|| io::Error::new(io::ErrorKind::InvalidInput, format!("{value} + 1 overflows a u64")))?;
    let mut out = io::stdout().lock();
    writeln!(out, "{counter}")?;
    out.flush()
}

/// Holds a counter at `value`, starts `exe worker increment VALUE`, and
/// returns the counter as the parent saw it before and after and as the
/// child reported it.
pub fn isolation(exe: &Path, value: u64) -> io::Result<Isolation> {
    let counter = value;
    let parent_before = counter;
    let worker = Worker::spawn(worker_command(exe, ["increment".to_owned(), counter.to_string()]))?;
    let answer = answer_of(worker, "increment")?;
    let child = answer.trim().parse().map_err(|_| WorkerError::BadAnswer {
        job: "increment",
        answer: answer.clone(),
        what: "a number",
    })?;
    Ok(Isolation {
        parent_before,
        child,
        parent_after: counter,
    })
}
