//! Lab 15's helpers: the counter file's format, the other process the
//! check plays, and the real two-process run.
//!
//! Processes cannot be model-checked: loom and shuttle schedule threads of
//! one process, not processes sharing a file. So lab 15's check makes the
//! worst interleaving happen on purpose, and deterministically.
//! [`read_count`], right after it has read the number, calls a hook that
//! [`race_another_process`] installed: the hook opens the file through a
//! handle of its own and asks for the exclusive lock without waiting
//! (`try_lock`). If it gets it, nothing keeps another process out of the gap
//! between the student's read and write, so the hook plays that process and
//! does a whole increment right there; the student's write then erases it.
//! If the file is locked, the other process has to wait, and its increment
//! happens after `add_one` has returned. Either way the run is the same
//! every time.
//!
//! It works inside one process because `File::lock` is `flock(2)` on Linux
//! (and the BSDs and macOS; `LockFileEx` on Windows): the lock belongs to
//! the *open file description*, so a second `open` of the same file in the
//! same process gets a handle whose lock requests conflict with the first
//! (lab 15's check tests that premise too). `fcntl` record locks would not
//! do: they belong to the process, and a process never conflicts with
//! itself.

use std::cell::RefCell;
use std::fs::{File, OpenOptions, TryLockError};
use std::io::{self, Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::rc::Rc;
use std::sync::atomic::{AtomicU64, Ordering};

type Hook = Box<dyn FnOnce()>;

thread_local! {
    /// Called once by the next [`read_count`] on this thread, right after it
    /// has read the number.
    static AFTER_READ: RefCell<Option<Hook>> = const { RefCell::new(None) };
}

/// Reads the count: the decimal number the file holds (an empty file holds
/// 0), read from its start through `file`.
pub fn read_count(file: &mut File) -> io::Result<u64> {
    let count = read_from(file)?;
    let hook = AFTER_READ.with(|h| h.borrow_mut().take());
    if let Some(hook) = hook {
        hook();
    }
    Ok(count)
}

/// Replaces what the file holds with `count`, in decimal, through `file`.
pub fn write_count(file: &mut File, count: u64) -> io::Result<()> {
    let text = count.to_string();
    file.seek(SeekFrom::Start(0))?;
    file.write_all(text.as_bytes())?;
    // Truncate after writing, not before: a reader never sees an empty file.
    file.set_len(text.len() as u64)?;
    file.flush()
}

fn read_from(file: &mut File) -> io::Result<u64> {
    file.seek(SeekFrom::Start(0))?;
    let mut text = String::new();
    file.read_to_string(&mut text)?;
    let text = text.trim();
    if text.is_empty() {
        return Ok(0);
    }
    text.parse().map_err(|e| {
        io::Error::new(
            io::ErrorKind::InvalidData,
            format!("the counter file holds {text:?}, not a count: {e}"),
        )
    })
}

fn open(path: &Path) -> io::Result<File> {
    OpenOptions::new().read(true).write(true).open(path)
}

/// One whole increment through a handle of its own (the caller holds
/// whatever lock it could get).
fn increment(file: &mut File) -> io::Result<()> {
    let count = read_from(file)?;
    write_count(file, count + 1)
}

/// When the other process's increment happened.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Landed {
    /// Between `add_one`'s read and its write: the file was not locked, so
    /// nothing kept the other process out.
    InTheGap,
    /// Between `add_one`'s read and its write, although `add_one` held a
    /// lock: a *shared* one, which the other process, running the same
    /// code, holds at the same time.
    InTheGapSharingTheLock,
    /// After `add_one` returned: its exclusive lock made the other process
    /// wait.
    AfterTheLock,
    /// After `add_one` returned, which never called [`read_count`]: the
    /// check could not find its gap.
    AfterAnUnseenRead,
    /// Never: `add_one` returned with the file still locked.
    NeverStillLocked,
}

/// What [`race_another_process`] saw.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Race {
    /// The count the file holds at the end.
    pub count: u64,
    /// When the other process's increment happened.
    pub other: Landed,
}

/// Runs `add_one(path)` while another process adds one to the same file at
/// the worst moment it is allowed to: right after `add_one` has read the
/// count (when [`read_count`] returns), if the file's exclusive lock is free
/// then; once `add_one` has returned otherwise. Returns the final count and
/// when the other increment happened, or the first error either had.
pub fn race_another_process(path: &Path, add_one: impl FnOnce(&Path) -> io::Result<()>) -> io::Result<Race> {
    let in_gap: Rc<RefCell<Option<io::Result<Option<Landed>>>>> = Rc::new(RefCell::new(None));
    let (seen, target) = (Rc::clone(&in_gap), path.to_path_buf());
    AFTER_READ.with(|h| {
        *h.borrow_mut() = Some(Box::new(move || {
            *seen.borrow_mut() = Some(other_process_in_the_gap(&target));
        }))
    });
    let result = add_one(path);
    // A hook add_one never triggered must not fire in a later read.
    AFTER_READ.with(|h| h.borrow_mut().take());
    result?;
    let landed = match in_gap.borrow_mut().take() {
        Some(Ok(Some(landed))) => landed,
        Some(Ok(None)) => other_process_after(path, Landed::AfterTheLock)?,
        Some(Err(e)) => return Err(e),
        None => other_process_after(path, Landed::AfterAnUnseenRead)?,
    };
    let count = read_from(&mut open(path)?)?;
    Ok(Race { count, other: landed })
}

/// The other process, at the moment `add_one` has read the count: adds one
/// now if it can get in, or returns `None` if it must wait.
fn other_process_in_the_gap(path: &Path) -> io::Result<Option<Landed>> {
    let mut file = open(path)?;
    let landed = match file.try_lock() {
        Ok(()) => Landed::InTheGap,
        Err(TryLockError::WouldBlock) => match file.try_lock_shared() {
            // Only a shared lock is held: the same code in another process
            // takes one too, and goes on.
            Ok(()) => Landed::InTheGapSharingTheLock,
            Err(TryLockError::WouldBlock) => return Ok(None),
            Err(TryLockError::Error(e)) => return Err(e),
        },
        Err(TryLockError::Error(e)) => return Err(e),
    };
    increment(&mut file)?;
    file.unlock()?;
    Ok(Some(landed))
}

/// The other process, once `add_one` has returned.
fn other_process_after(path: &Path, landed: Landed) -> io::Result<Landed> {
    let mut file = open(path)?;
    match file.try_lock() {
        Ok(()) => {}
        Err(TryLockError::WouldBlock) => return Ok(Landed::NeverStillLocked),
        Err(TryLockError::Error(e)) => return Err(e),
    }
    increment(&mut file)?;
    file.unlock()?;
    Ok(landed)
}

/// A counter file holding 0 in a new temporary folder, removed on drop.
#[derive(Debug)]
pub struct CounterFile {
    dir: PathBuf,
    path: PathBuf,
}

impl CounterFile {
    /// A new counter file at 0.
    pub fn new() -> io::Result<CounterFile> {
        static NEXT: AtomicU64 = AtomicU64::new(0);
        let n = NEXT.fetch_add(1, Ordering::Relaxed);
        let dir = std::env::temp_dir().join(format!("racelab-lab15-{}-{n}", std::process::id()));
        std::fs::create_dir_all(&dir)?;
        let path = dir.join("count.txt");
        std::fs::write(&path, "0")?;
        Ok(CounterFile { dir, path })
    }

    /// Where the file is.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The count it holds now.
    pub fn count(&self) -> io::Result<u64> {
        read_from(&mut open(&self.path)?)
    }
}

impl Drop for CounterFile {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

/// The environment variable that turns the worker test of a re-executed
/// check binary into a worker: the counter file's path.
pub const WORKER_FILE_VAR: &str = "RACELAB_LAB15_FILE";
/// How many increments the worker makes.
pub const WORKER_ROUNDS_VAR: &str = "RACELAB_LAB15_ROUNDS";

/// In a worker process (started by [`run_worker_processes`]): the counter
/// file and how many increments to make, once every worker may start.
/// `None` at once in any other process.
pub fn worker_job() -> Option<(PathBuf, u64)> {
    let path = std::env::var_os(WORKER_FILE_VAR)?;
    let rounds = std::env::var(WORKER_ROUNDS_VAR).ok()?.parse().ok()?;
    // The start gate: the parent closes every worker's stdin at once, when
    // all have started, so that their increments overlap.
    let _ = io::copy(&mut io::stdin().lock(), &mut io::sink());
    Some((PathBuf::from(path), rounds))
}

/// A child process that is always waited for: killed and reaped on drop
/// unless it was waited for already.
struct Reaped(Option<Child>);

impl Drop for Reaped {
    fn drop(&mut self) {
        if let Some(mut child) = self.0.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }
}

/// Starts `processes` copies of this test binary, each running only the
/// test `worker_test` with [`worker_job`] set to (`path`, `rounds`), lets
/// them all go at once (closing their stdin), and waits for every one. Errors describe a copy that could not
/// start or failed.
pub fn run_worker_processes(worker_test: &str, path: &Path, processes: usize, rounds: u64) -> Result<(), String> {
    let exe = std::env::current_exe().map_err(|e| format!("cannot find this test binary: {e}"))?;
    let mut children = Vec::with_capacity(processes);
    for i in 0..processes {
        let child = Command::new(&exe)
            .args(["--exact", worker_test, "--nocapture", "--test-threads", "1"])
            .env(WORKER_FILE_VAR, path)
            .env(WORKER_ROUNDS_VAR, rounds.to_string())
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .map_err(|e| format!("cannot start worker process {i}: {e}"))?;
        children.push(Reaped(Some(child)));
    }
    // Every worker has started (and waits for its stdin to close): go.
    for reaped in &mut children {
        if let Some(child) = reaped.0.as_mut() {
            drop(child.stdin.take());
        }
    }
    let mut failures = Vec::new();
    for (i, mut reaped) in children.into_iter().enumerate() {
        let child = reaped.0.take().expect("each child is waited for once");
        match child.wait_with_output() {
            Ok(out) if out.status.success() => {}
            Ok(out) => failures.push(format!(
                "worker process {i} failed ({}):\n{}{}",
                out.status,
                String::from_utf8_lossy(&out.stdout),
                String::from_utf8_lossy(&out.stderr)
            )),
            Err(e) => failures.push(format!("cannot wait for worker process {i}: {e}")),
        }
    }
    if failures.is_empty() {
        Ok(())
    } else {
        Err(failures.join("\n"))
    }
}
