//! Process ids: the lecture's `info()` example.
//!
//! Lecture section *multiprocessing*: `info()` prints `os.getppid()` and
//! `os.getpid()`, once in the main line and once in a `Process` child. Each
//! process has an id of its own, and the child's parent id is the id of the
//! process that started it. Here the child is `racelab worker info`,
//! started through [`Worker`]; it prints its own pid
//! ([`std::process::id`]) and its parent's
//! ([`std::os::unix::process::parent_id`]), and [`info`] puts them next to
//! the parent's own.
//!
//! Nothing races here; what it costs is the start of a process (an `exec`
//! of the binary: milliseconds, against a thread's microseconds), paid for
//! an address space of its own (see [`super::isolation`]).

use std::io::{self, Write};
use std::path::Path;

use super::{answer_of, worker_command, Worker, WorkerError};

/// One process's id and its parent's.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Pids {
    /// This process's id.
    pub pid: u32,
    /// Its parent's id (`None` where the standard library cannot tell:
    /// outside unix).
    pub ppid: Option<u32>,
}

impl Pids {
    /// The ids of the calling process.
    pub fn own() -> Pids {
        Pids {
            pid: std::process::id(),
            ppid: parent_pid(),
        }
    }
}

#[cfg(unix)]
fn parent_pid() -> Option<u32> {
    Some(std::os::unix::process::parent_id())
}

#[cfg(not(unix))]
fn parent_pid() -> Option<u32> {
    None
}

/// The parent's ids and its child's, as the lecture's `info()` prints them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Info {
    /// The process that called [`info`].
    pub parent: Pids,
    /// The `racelab worker info` child it started.
    pub child: Pids,
}

impl Info {
    /// Whether the child names the parent as its parent.
    pub fn child_of_parent(&self) -> bool {
        self.child.ppid == Some(self.parent.pid)
    }
}

/// `racelab worker info`: prints `pid N` and `ppid N` (`ppid ?` where the
/// parent's id is unknown), one a line.
pub fn worker() -> io::Result<()> {
    let me = Pids::own();
    let ppid = me.ppid.map_or_else(|| "?".to_owned(), |p| p.to_string());
    let mut out = io::stdout().lock();
    write!(out, "pid {}\nppid {ppid}\n", me.pid)?;
    out.flush()
}

/// Starts `exe worker info` and returns this process's ids and the child's.
pub fn info(exe: &Path) -> io::Result<Info> {
    let parent = Pids::own();
    let answer = answer_of(Worker::spawn(worker_command(exe, ["info"]))?, "info")?;
    let child = parse(&answer).ok_or_else(|| WorkerError::BadAnswer {
        job: "info",
        answer: answer.clone(),
        what: "`pid N` and `ppid N` lines",
    })?;
    Ok(Info { parent, child })
}

/// Reads what [`worker`] prints.
fn parse(answer: &str) -> Option<Pids> {
    let (mut pid, mut ppid) = (None, None);
    for line in answer.lines() {
        match line.split_once(' ')? {
            ("pid", n) => pid = Some(n.trim().parse().ok()?),
            ("ppid", "?") => ppid = Some(None),
            ("ppid", n) => ppid = Some(Some(n.trim().parse().ok()?)),
            _ => return None,
        }
    }
    Some(Pids { pid: pid?, ppid: ppid? })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parse_reads_what_the_worker_prints_and_nothing_else() {
        assert_eq!(parse("pid 12\nppid 7\n"), Some(Pids { pid: 12, ppid: Some(7) }));
        assert_eq!(parse("pid 12\nppid ?\n"), Some(Pids { pid: 12, ppid: None }));
        assert_eq!(parse("pid 12\n"), None);
        assert_eq!(parse("pid x\nppid 7\n"), None);
        assert_eq!(parse("hello"), None);
    }
}
