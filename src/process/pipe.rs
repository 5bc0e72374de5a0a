//! A pipe between processes: the parent writes lines to a child's standard
//! input and reads its answers from the child's standard output.
//!
//! Lecture section *multiprocessing*: processes share no memory
//! ([`super::isolation`]), so they talk through channels the kernel keeps,
//! as `multiprocessing.Pipe` and `Queue` do. A pipe is a bounded byte
//! buffer (64 KiB on Linux) with one writer end and one reader end; a read
//! returns end-of-file once every writer end is closed.
//!
//! The trap is a deadlock between the two processes: a parent that writes
//! everything before reading anything blocks once the pipe to the child is
//! full, while the child blocks because the pipe back (its answers) is full
//! and nobody reads it. The fix used by [`round_trip`]: a thread writes the
//! lines and then closes the pipe (so the child sees end-of-file and
//! exits) while the calling thread reads the answers. It costs a thread,
//! and the copy of every byte through the kernel, twice.

use std::io::{self, BufRead, BufReader, BufWriter, Write};
use std::path::Path;

use super::{worker_command, Worker, WorkerError};

/// The child's answer to one line: the line in upper case.
pub fn answer(line: &str) -> String {
    line.to_uppercase()
}

/// `racelab worker echo`: answers each line of standard input with
/// [`answer`] on standard output, until end-of-file.
pub fn worker() -> io::Result<()> {
    let mut out = io::stdout().lock();
    for line in io::stdin().lock().lines() {
        writeln!(out, "{}", answer(&line?))?;
        out.flush()?;
    }
    Ok(())
}

/// Sends `lines` to `exe worker echo` through a pipe and returns its
/// answers, one per line. A line may not hold a line break.
pub fn round_trip(exe: &Path, lines: &[&str]) -> io::Result<Vec<String>> {
    if let Some(bad) = lines.iter().find(|l| l.contains(['\n', '\r'])) {
        return Err(io::Error::new(
            io::ErrorKind::InvalidInput,
            format!("{bad:?} holds a line break; the pipe carries one line per message"),
        ));
    }
    let mut worker = Worker::spawn(worker_command(exe, ["echo"]))?;
    let stdin = worker
        .take_stdin()
        .ok_or_else(|| io::Error::other("the echo worker has no stdin pipe"))?;
    let answers = std::thread::scope(|s| {
        let writer = s.spawn(move || -> io::Result<()> {
            let mut to_child = BufWriter::new(stdin);
            for line in lines {
                writeln!(to_child, "{line}")?;
            }
            to_child.flush()
            // Dropped here: the pipe closes and the child sees end-of-file.
        });
        let mut answers = Vec::new();
        let read = match worker.stdout() {
            Some(from_child) => read_lines(from_child, &mut answers),
            None => Err(io::Error::other("the echo worker has no stdout pipe")),
        };
        // The writer cannot block for good: the child reads until end-of-file
        // or dies (and then the write fails).
        let written = writer
            .join()
            .unwrap_or_else(|_| Err(io::Error::other("the pipe writer panicked")));
        read.and(written).map(|()| answers)
    })?;
    let status = worker.wait()?;
    if !status.success() {
        return Err(WorkerError::Failed { job: "echo", status }.into());
    }
    if answers.len() != lines.len() {
        return Err(WorkerError::BadAnswer {
            job: "echo",
            answer: answers.join("\n"),
            what: "one line per line sent",
        }
        .into());
    }
    Ok(answers)
}

/// Reads lines (invalid UTF-8 replaced, not an error) until end-of-file.
fn read_lines(from: impl io::Read, into: &mut Vec<String>) -> io::Result<()> {
    let mut reader = BufReader::new(from);
    let mut buf = Vec::new();
    loop {
        buf.clear();
        if reader.read_until(b'\n', &mut buf)? == 0 {
            return Ok(());
        }
        let line = buf.strip_suffix(b"\n").unwrap_or(&buf);
        into.push(String::from_utf8_lossy(line).into_owned());
    }
}
