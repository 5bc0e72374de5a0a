//! Lab 15's helpers: the counter file's format, the race the check stages
//! with another process, and the real two-process run.
//!
//! Processes cannot be model-checked: loom and shuttle schedule threads of
//! one process, not processes sharing a file. So lab 15's check makes the
//! worst interleaving happen on purpose, and deterministically, with a real
//! second process that runs the student's own `add_one`: whatever protocol
//! `add_one` follows (a lock on the counter file, a separate lock file, a
//! `try_lock` loop, a file created with `create_new`...), the other side
//! follows it too, and nothing the two share in memory (a `static Mutex`)
//! can help, exactly as between two real processes.
//!
//! [`stage_race`] runs `add_one` in the check's process ("yours") while the
//! other process (this test binary, started again as a worker: [`worker`])
//! waits at a start gate. [`read_count`] and [`write_count`] are the only
//! calls the check can see, so they are where it acts: at the chosen
//! [`Moment`] (right after your `add_one` has read the count, or right
//! before it writes) your `add_one` is paused and the other process is let
//! go, and at every later read or write of yours the pause lasts until the
//! other process has either finished its whole `add_one` or is held out.
//! "Held out" is read from Linux's `/proc/<pid>/task/<tid>/`, not guessed
//! from a timeout: blocked in `flock(2)` (`syscall`, `stat`), or retrying
//! (asleep again and again, or spinning on the CPU, with no read or write)
//! for a while. A wrong guess there could only let a wrong fix pass, never
//! fail a right one: with a right fix, your `add_one` holds its lock while
//! paused, so the other process cannot get in however long it is given.
//!
//! One more thing is read from `/proc`: a waiter blocked in `flock` that the
//! kernel wakes (because the lock was released) and that blocks again has
//! one more voluntary context switch. If that happens between your last
//! read and your write, your `add_one` let go of its lock in that gap (and
//! took it again before the other process could), which is a lost update
//! waiting for a slower machine.
//!
//! Without `/proc` (not Linux), the other process is judged held out after
//! it has made no progress for a while: weaker, and said in the check's
//! note.

use std::cell::{Cell, RefCell};
use std::fs::{self, File, OpenOptions, TryLockError};
use std::io::{self, BufRead, BufReader, Read, Seek, SeekFrom, Write};
use std::panic::{self, AssertUnwindSafe};
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, Command, Stdio};
use std::rc::Rc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Condvar, Mutex, MutexGuard};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

/// What [`read_count`] and [`write_count`] tell the check.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Event {
    /// The count was read: this is what was read.
    Read(u64),
    /// This count is about to be written.
    Write(u64),
}

type Hook = Rc<dyn Fn(Event)>;

thread_local! {
    /// Set on the thread of "your" `add_one` while [`stage_race`] runs it.
    static HOOK: RefCell<Option<Hook>> = const { RefCell::new(None) };
}

/// Set in a staged worker process: every event goes to standard output.
static REPORTING: AtomicBool = AtomicBool::new(false);

/// Lines a staged worker prints for the check start with this.
const LINE_PREFIX: &str = "racelab-lab15 ";

fn event(e: Event) {
    if REPORTING.load(Ordering::Relaxed) {
        report(&match e {
            Event::Read(n) => format!("read {n}"),
            Event::Write(n) => format!("write {n}"),
        });
    }
    let hook = HOOK.with(|h| h.borrow().clone());
    if let Some(hook) = hook {
        hook(e);
    }
}

/// One line to the check that started this worker.
fn report(line: &str) {
    let mut out = io::stdout().lock();
    let _ = writeln!(out, "{LINE_PREFIX}{}", line.replace('\n', " "));
    let _ = out.flush();
}

/// Reads the count: the decimal number the file holds (an empty file holds
/// 0), read from its start through `file`.
pub fn read_count(file: &mut File) -> io::Result<u64> {
    let count = read_from(file)?;
    event(Event::Read(count));
    Ok(count)
}

/// Replaces what the file holds with `count`, in decimal, through `file`.
pub fn write_count(file: &mut File, count: u64) -> io::Result<()> {
    event(Event::Write(count));
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

/// When, in your `add_one`, the other process starts its own.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Moment {
    /// Right after your `add_one` has read the count (when [`read_count`]
    /// returns).
    AfterRead,
    /// Right before your `add_one` writes the count (when [`write_count`]
    /// is called).
    BeforeWrite,
}

/// What one call of `add_one` did, as [`read_count`] and [`write_count`]
/// saw it.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Calls {
    /// Every count it read, in order.
    pub reads: Vec<u64>,
    /// Every count it wrote, in order.
    pub writes: Vec<u64>,
    /// Why it did not return `Ok`: "returned an error: ...", "panicked: ...".
    pub failure: Option<String>,
}

/// The counter file's own lock when the other process was let go.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Held {
    /// Locked exclusively.
    Exclusive,
    /// Locked shared only: another shared lock gets in.
    Shared,
    /// Not locked (a lock on another file may still be held).
    Free,
    /// The check could not tell.
    Unknown,
}

/// Why the other process had not finished when the check stopped waiting.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Stuck {
    /// Your `add_one` had returned, and the other process still waited in
    /// `flock` for a lock that nobody is left to release.
    InFlock,
    /// Your `add_one` had returned, and the other process's had not
    /// finished [`LEFTOVER_LIMIT`] later.
    TimedOut,
}

/// How long the other process may take to finish once your `add_one` has
/// returned, unless it is seen blocked in `flock` earlier.
pub const LEFTOVER_LIMIT: Duration = Duration::from_secs(3);

/// What [`stage_race`] saw.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Staged {
    /// The count the file holds at the end (it held 0 at the start).
    pub count: u64,
    /// Your `add_one`.
    pub yours: Calls,
    /// The other process's `add_one`.
    pub other: Calls,
    /// Whether the moment came: false if your `add_one` never called
    /// [`read_count`] (or [`write_count`], for [`Moment::BeforeWrite`]) on
    /// its own thread; the other process was then never let go.
    pub arrived: bool,
    /// The counter file's lock when the other process was let go.
    pub held: Held,
    /// Whether the other process, waiting in `flock`, was woken between
    /// your last read and your write and blocked again: your `add_one`
    /// released its lock in that gap and took it again.
    pub released_in_gap: bool,
    /// Set if the other process had not finished when the check stopped
    /// waiting for it.
    pub stuck: Option<Stuck>,
}

/// Runs your `add_one(path)` with another process running the same
/// `add_one` on the same file, let go at `moment`. `worker_test` is the
/// test of this binary that calls [`worker`] (as
/// `racelab_labs::test_name` names it). `Err` says why the check itself
/// could not run (no worker process...).
pub fn stage_race(
    worker_test: &str,
    path: &Path,
    moment: Moment,
    add_one: impl FnOnce(&Path) -> io::Result<()>,
) -> Result<Staged, String> {
    let other = Rc::new(Other::spawn(worker_test, path)?);
    let yours = Rc::new(RefCell::new(Calls::default()));
    let held = Rc::new(Cell::new(Held::Unknown));
    let released_in_gap = Rc::new(Cell::new(false));
    // The other process as the last read of yours left it (if it was
    // blocked in flock then).
    let at_last_read: Rc<Cell<Option<Settled>>> = Rc::new(Cell::new(None));

    let hook: Hook = {
        let (other, yours, held) = (Rc::clone(&other), Rc::clone(&yours), Rc::clone(&held));
        let (released_in_gap, at_last_read) = (Rc::clone(&released_in_gap), Rc::clone(&at_last_read));
        let target = path.to_path_buf();
        Rc::new(move |e| {
            let now = match e {
                Event::Read(n) => {
                    yours.borrow_mut().reads.push(n);
                    Moment::AfterRead
                }
                Event::Write(n) => {
                    yours.borrow_mut().writes.push(n);
                    Moment::BeforeWrite
                }
            };
            if now == moment && !other.started() {
                held.set(probe(&target));
                other.start();
            }
            if !other.started() {
                return;
            }
            let settled = other.settle();
            match e {
                Event::Read(_) => at_last_read.set(Some(settled)),
                Event::Write(_) => {
                    if let (
                        Some(Settled::InFlock {
                            woken: before,
                            progress: p0,
                        }),
                        Settled::InFlock { woken, progress },
                    ) = (at_last_read.take(), settled)
                    {
                        if woken > before && progress == p0 {
                            released_in_gap.set(true);
                        }
                    }
                }
            }
        })
    };
    HOOK.with(|h| *h.borrow_mut() = Some(hook));
    let result = panic::catch_unwind(AssertUnwindSafe(|| add_one(path)));
    HOOK.with(|h| h.borrow_mut().take());
    let mut yours = yours.take();
    yours.failure = failure(result);

    let arrived = other.started();
    let stuck = if arrived { other.finish() } else { None };
    let count = open(path)
        .and_then(|mut f| read_from(&mut f))
        .map_err(|e| format!("cannot read the counter file at the end: {e}"))?;
    let other = Rc::try_unwrap(other)
        .map_err(|_| "the check still holds the other process".to_owned())?
        .end(arrived && stuck.is_none());
    Ok(Staged {
        count,
        yours,
        other,
        arrived,
        held: held.get(),
        released_in_gap: released_in_gap.get(),
        stuck,
    })
}

/// Why `add_one` did not return `Ok`, in words; `None` if it did.
fn failure(result: std::thread::Result<io::Result<()>>) -> Option<String> {
    match result {
        Ok(Ok(())) => None,
        Ok(Err(e)) => Some(format!("returned an error: {e}")),
        Err(payload) => Some(format!("panicked: {}", payload_text(&*payload))),
    }
}

fn payload_text(payload: &(dyn std::any::Any + Send)) -> String {
    if let Some(s) = payload.downcast_ref::<&str>() {
        (*s).to_owned()
    } else if let Some(s) = payload.downcast_ref::<String>() {
        s.clone()
    } else {
        "(a panic without a message)".to_owned()
    }
}

/// Which lock the counter file holds: asked through a handle of the
/// check's own, which is closed again (no other process waits yet).
fn probe(path: &Path) -> Held {
    let Ok(file) = open(path) else {
        return Held::Unknown;
    };
    match file.try_lock() {
        Ok(()) => Held::Free,
        Err(TryLockError::WouldBlock) => match file.try_lock_shared() {
            Ok(()) => Held::Shared,
            Err(TryLockError::WouldBlock) => Held::Exclusive,
            Err(TryLockError::Error(_)) => Held::Unknown,
        },
        Err(TryLockError::Error(_)) => Held::Unknown,
    }
}

/// Where the other process stood when the check stopped waiting for it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Settled {
    /// It finished its `add_one` (or exited).
    Finished,
    /// It is blocked in `flock`; `woken` is its count of voluntary context
    /// switches, `progress` how many reads and writes it had made.
    InFlock { woken: u64, progress: usize },
    /// It is retrying, or the check could not see why it makes no progress.
    HeldOut,
}

/// How often the other process's state is read while the check waits.
const POLL: Duration = Duration::from_millis(2);
/// A retry loop that sleeps: held out once it has slept this long, and gone
/// back to sleep at least [`RETRY_SLEEPS`] times, without a read or write.
const RETRY_ASLEEP: Duration = Duration::from_millis(100);
const RETRY_SLEEPS: u64 = 2;
/// A retry loop that spins: held out once it has used this much CPU time
/// without a read or write.
const RETRY_CPU: Duration = Duration::from_millis(100);
/// Without `/proc`: held out after this long without a read or write.
const BLIND_GRACE: Duration = Duration::from_millis(300);
/// Held out, whatever it is doing, after this long without a read or write.
const SETTLE_CAP: Duration = Duration::from_secs(10);
/// How long a worker process may take to start.
const START_LIMIT: Duration = Duration::from_secs(30);

/// What the other process has reported so far.
#[derive(Debug, Default)]
struct Seen {
    /// `/proc/<pid>/task/<tid>` of the thread that runs its `add_one`.
    task: Option<PathBuf>,
    calls: Calls,
    /// Reads and writes so far.
    progress: usize,
    done: bool,
    /// Its standard output closed: it exited.
    exited: bool,
}

/// The other process: a worker started by [`stage_race`].
struct Other {
    child: Reaped,
    gate: RefCell<Option<ChildStdin>>,
    started: Cell<bool>,
    seen: Arc<(Mutex<Seen>, Condvar)>,
    task: Option<PathBuf>,
    stdout: Option<JoinHandle<()>>,
    stderr: Option<JoinHandle<String>>,
}

impl Other {
    /// Starts the worker and waits until it stands at its start gate.
    fn spawn(worker_test: &str, path: &Path) -> Result<Other, String> {
        let exe = std::env::current_exe().map_err(|e| format!("cannot find this test binary: {e}"))?;
        let mut child = Command::new(exe)
            .args(["--exact", worker_test, "--nocapture", "--test-threads", "1"])
            .env(WORKER_FILE_VAR, path)
            .env(WORKER_ROUNDS_VAR, "1")
            .env(WORKER_STAGED_VAR, "1")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .map_err(|e| format!("cannot start the other process: {e}"))?;
        let gate = child.stdin.take();
        let out = child.stdout.take();
        let err = child.stderr.take();
        let child = Reaped(Some(child));
        let seen = Arc::new((Mutex::new(Seen::default()), Condvar::new()));
        let stdout = out.map(|out| {
            let seen = Arc::clone(&seen);
            std::thread::spawn(move || follow(out, &seen))
        });
        let stderr = err.map(|mut err| {
            std::thread::spawn(move || {
                let mut text = String::new();
                let _ = err.read_to_string(&mut text);
                text
            })
        });
        let mut other = Other {
            child,
            gate: RefCell::new(gate),
            started: Cell::new(false),
            seen,
            task: None,
            stdout,
            stderr,
        };
        let deadline = Instant::now() + START_LIMIT;
        let (lock, changed) = &*other.seen;
        let mut seen = lock_seen(lock);
        while seen.task.is_none() && !seen.exited {
            let left = deadline.saturating_duration_since(Instant::now());
            if left.is_zero() {
                return Err(format!(
                    "the other process did not start within {} s",
                    START_LIMIT.as_secs()
                ));
            }
            seen = changed
                .wait_timeout(seen, left)
                .map(|(g, _)| g)
                .unwrap_or_else(|e| e.into_inner().0);
        }
        let task = seen.task.clone();
        drop(seen);
        match task {
            Some(task) => {
                // An empty path: the worker could not read /proc/thread-self.
                other.task = (!task.as_os_str().is_empty()).then_some(task);
                Ok(other)
            }
            None => Err(format!(
                "the other process {}",
                other.end(true).failure.unwrap_or_default()
            )),
        }
    }

    fn started(&self) -> bool {
        self.started.get()
    }

    /// Lets the other process go: closes its standard input.
    fn start(&self) {
        self.gate.borrow_mut().take();
        self.started.set(true);
    }

    /// Its progress so far, and whether it has finished.
    fn progress(&self) -> (usize, bool) {
        let seen = lock_seen(&self.seen.0);
        (seen.progress, seen.done || seen.exited)
    }

    /// Waits for new progress, at most `limit`.
    fn wait(&self, limit: Duration) {
        let (lock, changed) = &*self.seen;
        let seen = lock_seen(lock);
        let _ = changed.wait_timeout(seen, limit);
    }

    /// Waits until the other process has finished or cannot go on.
    fn settle(&self) -> Settled {
        let start = Instant::now();
        let (mut progress, _) = self.progress();
        let mut since = start;
        let mut watch = Watch::default();
        loop {
            let (now_progress, finished) = self.progress();
            if finished {
                return Settled::Finished;
            }
            if now_progress != progress {
                progress = now_progress;
                since = Instant::now();
                watch = Watch::default();
            }
            match self.task.as_deref().and_then(sample) {
                Some(s) => {
                    let in_flock = watch.see(s, Instant::now());
                    // Re-read the progress: a read or write reported while
                    // the state was read means it was not stuck then.
                    if self.progress().0 == progress {
                        if in_flock {
                            return Settled::InFlock {
                                woken: s.woken,
                                progress,
                            };
                        }
                        if watch.retrying(s.sees_syscall) {
                            return Settled::HeldOut;
                        }
                    }
                }
                None if since.elapsed() >= BLIND_GRACE => return Settled::HeldOut,
                None => {}
            }
            if since.elapsed() >= SETTLE_CAP {
                return Settled::HeldOut;
            }
            self.wait(POLL);
        }
    }

    /// Once your `add_one` has returned: waits for the other process to
    /// finish; `Some` if it cannot.
    fn finish(&self) -> Option<Stuck> {
        let start = Instant::now();
        let mut watch = Watch::default();
        let (mut progress, _) = self.progress();
        loop {
            let (now_progress, finished) = self.progress();
            if finished {
                return None;
            }
            if now_progress != progress {
                progress = now_progress;
                watch = Watch::default();
            }
            if let Some(s) = self.task.as_deref().and_then(sample) {
                if watch.see(s, Instant::now()) && self.progress().0 == progress {
                    return Some(Stuck::InFlock);
                }
            }
            if start.elapsed() >= LEFTOVER_LIMIT {
                return Some(Stuck::TimedOut);
            }
            self.wait(POLL);
        }
    }

    /// Stops the other process (if it still runs) and says what its
    /// `add_one` did. With `finished`, a process that exited without a word
    /// failed.
    fn end(mut self, finished: bool) -> Calls {
        self.gate.borrow_mut().take();
        if let Some(mut child) = self.child.0.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
        if let Some(h) = self.stdout.take() {
            let _ = h.join();
        }
        let stderr = self.stderr.take().and_then(|h| h.join().ok()).unwrap_or_default();
        let seen = lock_seen(&self.seen.0);
        let mut calls = seen.calls.clone();
        if calls.failure.is_none() && finished && !seen.done {
            calls.failure = Some(format!("exited without finishing: {}", last_lines(&stderr, 6)));
        }
        calls
    }
}

fn lock_seen(lock: &Mutex<Seen>) -> MutexGuard<'_, Seen> {
    lock.lock().unwrap_or_else(|e| e.into_inner())
}

/// The last `n` lines of `text`, on one line.
fn last_lines(text: &str, n: usize) -> String {
    let lines: Vec<&str> = text.lines().filter(|l| !l.trim().is_empty()).collect();
    lines[lines.len().saturating_sub(n)..].join(" / ")
}

/// Reads a staged worker's standard output into `seen`.
fn follow(out: impl Read, seen: &(Mutex<Seen>, Condvar)) {
    let (lock, changed) = seen;
    for line in BufReader::new(out).lines() {
        let Ok(line) = line else { break };
        // The test harness may have started the line ("test ... ").
        let Some(rest) = line.find(LINE_PREFIX).map(|at| &line[at + LINE_PREFIX.len()..]) else {
            continue;
        };
        let (word, arg) = rest.split_once(' ').unwrap_or((rest, ""));
        let mut s = lock_seen(lock);
        match word {
            "ready" => {
                s.task = Some(if arg.is_empty() {
                    PathBuf::new()
                } else {
                    Path::new("/proc").join(arg)
                })
            }
            "read" => {
                s.calls.reads.extend(arg.parse::<u64>().ok());
                s.progress += 1;
            }
            "write" => {
                s.calls.writes.extend(arg.parse::<u64>().ok());
                s.progress += 1;
            }
            "done" => s.done = true,
            "failed" => {
                s.calls.failure = Some(arg.to_owned());
                s.done = true;
            }
            _ => continue,
        }
        drop(s);
        changed.notify_all();
    }
    lock_seen(lock).exited = true;
    changed.notify_all();
}

/// One look at a thread, from `/proc/<pid>/task/<tid>/`.
#[derive(Clone, Copy, Debug)]
struct Sample {
    /// Asleep in the kernel (state `S` or `D`).
    blocked: bool,
    /// Blocked in `flock(2)`.
    in_flock: bool,
    /// Whether the `syscall` file said which call it is in.
    sees_syscall: bool,
    /// Voluntary context switches: one more every time it blocks.
    woken: u64,
    /// Time on a CPU, in ns.
    cpu_ns: u64,
}

/// `flock(2)`'s number on this machine, as `/proc/<pid>/syscall` shows it.
const SYS_FLOCK: Option<i64> = if cfg!(target_arch = "x86_64") {
    Some(73)
} else if cfg!(any(target_arch = "x86", target_arch = "arm")) {
    Some(143)
} else if cfg!(any(
    target_arch = "aarch64",
    target_arch = "riscv64",
    target_arch = "loongarch64"
)) {
    Some(32)
} else {
    None
};

fn sample(task: &Path) -> Option<Sample> {
    let stat = fs::read_to_string(task.join("stat")).ok()?;
    // The thread's name is in parentheses and may hold anything.
    let state = stat.rsplit_once(')')?.1.split_whitespace().next()?;
    let blocked = matches!(state, "S" | "D");
    let status = fs::read_to_string(task.join("status")).ok()?;
    let woken = status
        .lines()
        .find_map(|l| l.strip_prefix("voluntary_ctxt_switches:"))?
        .trim()
        .parse()
        .ok()?;
    // "running" unless the thread is blocked; else the call's number first.
    let syscall = fs::read_to_string(task.join("syscall")).ok();
    let first = syscall.as_deref().and_then(|s| s.split_whitespace().next());
    let sees_syscall = first.is_some() && SYS_FLOCK.is_some();
    let number = first.and_then(|n| n.parse::<i64>().ok());
    let in_flock = blocked && number.is_some() && number == SYS_FLOCK;
    let cpu_ns = fs::read_to_string(task.join("schedstat"))
        .ok()
        .and_then(|s| s.split_whitespace().next()?.parse().ok())
        .unwrap_or(0);
    Some(Sample {
        blocked,
        in_flock,
        sees_syscall,
        woken,
        cpu_ns,
    })
}

/// Consecutive looks at the other process since its last progress.
#[derive(Debug, Default)]
struct Watch {
    last: Option<(Sample, Instant)>,
    first: Option<Sample>,
    asleep: Duration,
}

impl Watch {
    /// Takes a look; true if it was blocked in `flock` in this look and the
    /// one before, not woken in between.
    fn see(&mut self, s: Sample, at: Instant) -> bool {
        self.first.get_or_insert(s);
        let stable = match self.last {
            Some((p, when)) => {
                if p.blocked && s.blocked && !p.in_flock && !s.in_flock {
                    self.asleep += at - when;
                }
                p.in_flock && s.in_flock && p.woken == s.woken
            }
            None => false,
        };
        self.last = Some((s, at));
        stable
    }

    /// Whether what it did since its last progress is a retry loop that
    /// keeps failing: asleep long and often, or on the CPU long. Without
    /// the `syscall` file, a thread blocked in `flock` looks asleep too, so
    /// then sleeping long is enough.
    fn retrying(&self, sees_syscall: bool) -> bool {
        let (Some(first), Some((last, _))) = (self.first, self.last) else {
            return false;
        };
        let slept_again = last.woken.saturating_sub(first.woken) >= RETRY_SLEEPS;
        let asleep = self.asleep >= RETRY_ASLEEP && (slept_again || !sees_syscall);
        let spun = Duration::from_nanos(last.cpu_ns.saturating_sub(first.cpu_ns)) >= RETRY_CPU;
        asleep || spun
    }
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
/// Set for the other process of a staged race: report every read and write.
pub const WORKER_STAGED_VAR: &str = "RACELAB_LAB15_STAGED";

/// The body of the worker test of lab 15's check. In a worker process
/// (started by [`stage_race`] or [`run_worker_processes`]): waits at the
/// start gate (its standard input, closed by the check), then calls
/// `add_one` on the counter file as many times as it was told, and exits
/// with a failure, saying why, at the first call that does not return
/// `Ok`. In any other process it returns at once.
pub fn worker(add_one: impl Fn(&Path) -> io::Result<()>) {
    let Some(path) = std::env::var_os(WORKER_FILE_VAR).map(PathBuf::from) else {
        return;
    };
    let rounds: u64 = std::env::var(WORKER_ROUNDS_VAR)
        .ok()
        .and_then(|r| r.parse().ok())
        .unwrap_or(1);
    let staged = std::env::var_os(WORKER_STAGED_VAR).is_some();
    exit_with_parent();
    if staged {
        REPORTING.store(true, Ordering::Relaxed);
        // "<pid>/task/<tid>": where the check watches this thread.
        let task = fs::read_link("/proc/thread-self").map_or_else(|_| String::new(), |p| p.display().to_string());
        report(&format!("ready {task}"));
    }
    let _ = io::copy(&mut io::stdin().lock(), &mut io::sink());
    for _ in 0..rounds {
        if let Some(why) = failure(panic::catch_unwind(AssertUnwindSafe(|| add_one(&path)))) {
            report(&format!("failed {why}"));
            std::process::exit(1);
        }
    }
    report("done");
}

/// Ends this worker process if the check that started it is gone (a check
/// stopped in the middle must not leave a worker waiting for a lock).
fn exit_with_parent() {
    #[cfg(unix)]
    {
        let parent = std::os::unix::process::parent_id();
        std::thread::spawn(move || loop {
            std::thread::sleep(Duration::from_millis(200));
            if std::os::unix::process::parent_id() != parent {
                std::process::exit(2);
            }
        });
    }
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
/// test `worker_test` (which calls [`worker`]) with `rounds` increments of
/// the file at `path`, lets them all go at once (closing their stdin), and
/// waits for every one, at most `limit`. `Err` says, in a sentence, which
/// copy could not start, failed, or did not finish in time.
pub fn run_worker_processes(
    worker_test: &str,
    path: &Path,
    processes: usize,
    rounds: u64,
    limit: Duration,
) -> Result<(), String> {
    let exe = std::env::current_exe().map_err(|e| format!("cannot find this test binary: {e}"))?;
    let mut children = Vec::with_capacity(processes);
    for i in 0..processes {
        let child = Command::new(&exe)
            .args(["--exact", worker_test, "--nocapture", "--test-threads", "1"])
            .env(WORKER_FILE_VAR, path)
            .env(WORKER_ROUNDS_VAR, rounds.to_string())
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .map_err(|e| format!("cannot start worker process {i}: {e}"))?;
        children.push(Reaped(Some(child)));
    }
    // Read their output as it comes, so that no worker blocks on a full
    // pipe; what a failed one said is in it.
    let outputs: Vec<_> = children
        .iter_mut()
        .map(|reaped| {
            let out = reaped.0.as_mut().and_then(|c| c.stdout.take());
            std::thread::spawn(move || {
                let mut text = String::new();
                if let Some(mut out) = out {
                    let _ = out.read_to_string(&mut text);
                }
                text
            })
        })
        .collect();
    // Every worker has started (and waits for its stdin to close): go.
    for reaped in &mut children {
        if let Some(child) = reaped.0.as_mut() {
            drop(child.stdin.take());
        }
    }
    let deadline = Instant::now() + limit;
    let mut statuses: Vec<Option<io::Result<std::process::ExitStatus>>> = (0..processes).map(|_| None).collect();
    while statuses.iter().any(Option::is_none) {
        for (i, reaped) in children.iter_mut().enumerate() {
            if statuses[i].is_none() {
                if let Some(child) = reaped.0.as_mut() {
                    match child.try_wait() {
                        Ok(Some(status)) => statuses[i] = Some(Ok(status)),
                        Ok(None) => {}
                        Err(e) => statuses[i] = Some(Err(e)),
                    }
                }
            }
        }
        if statuses.iter().any(Option::is_none) {
            if Instant::now() >= deadline {
                drop(children);
                return Err(format!(
                    "the {processes} worker processes had not finished their {rounds} increments each after {} s: \
                     one waits for a lock that is never released, or retries forever",
                    limit.as_secs()
                ));
            }
            std::thread::sleep(Duration::from_millis(5));
        }
    }
    drop(children);
    let mut failures = Vec::new();
    for (i, (status, output)) in statuses.into_iter().zip(outputs).enumerate() {
        let text = output.join().unwrap_or_default();
        match status {
            Some(Ok(s)) if s.success() => {}
            Some(Ok(s)) => {
                let said = text
                    .lines()
                    .find_map(|l| l[l.find(LINE_PREFIX)? + LINE_PREFIX.len()..].strip_prefix("failed "))
                    .map_or_else(|| format!("exited with {s}"), |why| format!("add_one {why}"));
                failures.push(format!("in worker process {i}, {said}"));
            }
            Some(Err(e)) => failures.push(format!("cannot wait for worker process {i}: {e}")),
            None => unreachable!("every status was collected"),
        }
    }
    if failures.is_empty() {
        Ok(())
    } else {
        Err(failures.join("; "))
    }
}
