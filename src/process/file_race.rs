//! A race between processes on a shared file, and the file lock that fixes
//! it.
//!
//! Lecture section *multiprocessing*: processes escape the GIL and share no
//! memory ([`super::isolation`]), but the moment they share anything else
//! the races come back. Here it is a file holding a decimal counter, and
//! each of several `racelab worker file-counter` processes adds one to it
//! many times: open the file, read it, parse, seek to the start, write the
//! number plus one, truncate. That is the threads' `x += 1` (load, add,
//! store) with the file as the variable: two processes that read the same
//! value both write value + 1, and one update is lost.
//!
//! The fix is an advisory lock around each read-modify-write:
//! [`std::fs::File::lock`], an exclusive lock (`flock` on Linux) that the
//! kernel holds for the open file and drops when it is unlocked or closed,
//! even if the process dies. Advisory means it only excludes processes that
//! ask for it too: a process that writes the file without locking is not
//! stopped. It costs two system calls per update, and the updates run one
//! at a time.
//!
//! The counter is written zero-padded to a fixed width, so that a stale
//! writer (one that lost the race) never leaves a shorter number in front
//! of a longer one's tail, nor a truncation that another writer's
//! `set_len` then extends with NUL bytes: the unlocked race loses updates
//! but the file holds one number, at most the number of updates made. (A
//! read that overlaps a write could in principle see a mix of the two
//! numbers: POSIX promises otherwise, Linux does not lock a read against
//! a write of a regular file. Each is one small copy within a page, so it
//! is not seen in practice; the lock rules it out as well.)

use std::fs::{File, OpenOptions};
use std::io::{self, Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};

use thiserror::Error;

use super::{worker_command, Worker, WorkerError};

/// Digits of the zero-padded counter in the file.
pub const WIDTH: usize = 20;

/// The file does not hold a counter.
#[derive(Debug, Error)]
#[error("{}: {content:?} is not a counter (a decimal number)", path.display())]
pub struct BadCounter {
    /// The file.
    pub path: PathBuf,
    /// What it holds (at most the first 64 bytes).
    pub content: String,
}

/// How a file race ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FileRace {
    /// Processes × updates each.
    pub expected: u64,
    /// What the file held at the end.
    pub got: u64,
}

impl FileRace {
    /// Updates lost (0 when the count is exact).
    pub fn lost(&self) -> u64 {
        self.expected.saturating_sub(self.got)
    }

    /// Whether every update counted.
    pub fn exact(&self) -> bool {
        self.got == self.expected
    }
}

/// `racelab worker file-counter PATH TIMES [--locked]`: adds one to the
/// counter in `path`, `times` times, each read-modify-write under an
/// exclusive file lock when `locked`.
pub fn worker(path: &Path, times: u64, locked: bool) -> io::Result<()> {
    let mut file = OpenOptions::new()
        .read(true)
        .write(true)
        .open(path)
        .map_err(|e| io::Error::new(e.kind(), format!("{}: {e}", path.display())))?;
    for _ in 0..times {
        if locked {
            file.lock()?;
        }
        let added = add_one(&mut file, path);
        if locked {
            file.unlock()?;
        }
        added?;
    }
    Ok(())
}

/// One read-modify-write of the counter in `file`; returns the new value.
fn add_one(file: &mut File, path: &Path) -> io::Result<u64> {
    file.seek(SeekFrom::Start(0))?;
    let mut bytes = Vec::new();
    file.read_to_end(&mut bytes)?;
    let next = parse(&bytes, path)?
        .checked_add(1)
        .ok_or_else(|| bad_counter(&bytes, path))?;
    let text = format_counter(next);
    file.seek(SeekFrom::Start(0))?;
    file.write_all(text.as_bytes())?;
    file.set_len(text.len() as u64)?;
    Ok(next)
}

fn format_counter(n: u64) -> String {
    format!("{n:0WIDTH$}\n")
}

fn parse(bytes: &[u8], path: &Path) -> io::Result<u64> {
    std::str::from_utf8(bytes)
        .ok()
        .and_then(|s| s.trim().parse().ok())
        .ok_or_else(|| bad_counter(bytes, path))
}

fn bad_counter(bytes: &[u8], path: &Path) -> io::Error {
    let shown = &bytes[..bytes.len().min(64)];
    io::Error::new(
        io::ErrorKind::InvalidData,
        BadCounter {
            path: path.to_path_buf(),
            content: String::from_utf8_lossy(shown).into_owned(),
        },
    )
}

/// Writes `n` as the counter in `path` (creating or replacing the file).
pub fn write_counter(path: &Path, n: u64) -> io::Result<()> {
    std::fs::write(path, format_counter(n)).map_err(|e| io::Error::new(e.kind(), format!("{}: {e}", path.display())))
}

/// The counter in `path`.
pub fn read_counter(path: &Path) -> io::Result<u64> {
    let bytes = std::fs::read(path).map_err(|e| io::Error::new(e.kind(), format!("{}: {e}", path.display())))?;
    parse(&bytes, path)
}

/// In a `file-counter --gate` worker: waits for one line on standard input
/// (the parent's go, sent to every worker once all are started, so that
/// they race instead of running one after the other); exits with status 3
/// if standard input closes first (the parent is gone).
pub fn wait_for_go() -> io::Result<()> {
    let mut line = String::new();
    if io::stdin().read_line(&mut line)? == 0 {
        std::process::exit(3);
    }
    Ok(())
}

/// Races `processes` workers, each adding one to a counter file in `dir`
/// `times` times (under the file lock when `locked`): starts them all,
/// tells them to go, waits for every one, and reads the file.
pub fn race(exe: &Path, dir: &Path, processes: usize, times: u64, locked: bool) -> io::Result<FileRace> {
    let expected = u64::try_from(processes)
        .ok()
        .and_then(|p| p.checked_mul(times))
        .ok_or_else(|| io::Error::new(io::ErrorKind::InvalidInput, "processes × times overflows a u64"))?;
    let path = dir.join(if locked {
        "counter-locked.txt"
    } else {
        "counter-unlocked.txt"
    });
    write_counter(&path, 0)?;
    let mut args = vec![
        "file-counter".into(),
        path.clone().into_os_string(),
        times.to_string().into(),
        "--gate".into(),
    ];
    if locked {
        args.push("--locked".into());
    }
    // On any error below, the workers started so far are dropped: killed
    // and reaped.
    let mut workers = (0..processes)
        .map(|_| Worker::spawn(worker_command(exe, &args)))
        .collect::<io::Result<Vec<_>>>()?;
    for w in &mut workers {
        let stdin = w
            .stdin()
            .ok_or_else(|| io::Error::other("a file-counter worker has no stdin pipe"))?;
        stdin.write_all(b"go\n")?;
        stdin.flush()?;
    }
    for w in workers {
        let status = w.wait()?;
        if !status.success() {
            return Err(WorkerError::Failed {
                job: "file-counter",
                status,
            }
            .into());
        }
    }
    Ok(FileRace {
        expected,
        got: read_counter(&path)?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_counter_is_written_at_a_fixed_width_and_read_back() {
        assert_eq!(format_counter(42).len(), WIDTH + 1);
        assert_eq!(parse(format_counter(42).as_bytes(), Path::new("f")).ok(), Some(42));
        assert_eq!(parse(b" 7 \n", Path::new("f")).ok(), Some(7));
    }

    #[test]
    fn content_that_is_not_a_number_is_an_error_naming_the_file() {
        for bad in [&b"abc"[..], b"", b"-1", b"\xff\xfe"] {
            let e = parse(bad, Path::new("/some/counter.txt")).unwrap_err();
            assert_eq!(e.kind(), io::ErrorKind::InvalidData);
            assert!(e.to_string().contains("/some/counter.txt"), "{e}");
        }
    }
}
