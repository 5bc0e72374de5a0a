//! Building a lab's check and running it as a child process that can always
//! be stopped.
//!
//! A check runs code the project did not write: it may loop for ever, wait
//! on a lock the model cannot see, abort, or start processes of its own. So
//! the test binary is run directly (not through `cargo test`, whose child
//! would outlive it), in a process group of its own, and at the time limit
//! (or when the user quits, or presses Ctrl-C) the whole group is killed and
//! waited for: nothing is left behind, and the pipes close.
//!
//! A student's check is built in the `release` profile: `cargo run
//! --release` has built every dependency in it already, and the models
//! explore several times faster in optimised code. `racelab verify` builds
//! every lab's entries into one large binary, whose optimised build takes
//! many minutes; it uses the `dev` profile, which `cargo test --features
//! loom` has built the dependencies in (with the models optimised: see
//! `[profile.dev.package."*"]`).

use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitStatus, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use super::LabError;

/// Asks a running build or check to stop (the user quit `watch`).
#[derive(Clone, Debug, Default)]
pub struct Cancel(Arc<AtomicBool>);

impl Cancel {
    /// A token nobody has cancelled yet.
    pub fn new() -> Self {
        Cancel::default()
    }

    /// Stops whatever runs with this token, as soon as it looks.
    pub fn cancel(&self) {
        self.0.store(true, Ordering::SeqCst);
    }

    /// Whether [`Cancel::cancel`] was called.
    pub fn is_cancelled(&self) -> bool {
        self.0.load(Ordering::SeqCst)
    }
}

/// How a child process ended.
#[derive(Debug)]
pub(crate) enum Ended {
    Exited(ExitStatus),
    /// Killed, with its whole group, at the time limit.
    TimeLimit,
    /// Killed, with its whole group, because the user asked.
    Cancelled,
}

/// What a child process printed, and how it ended.
#[derive(Debug)]
pub(crate) struct Ran {
    pub(crate) ended: Ended,
    pub(crate) stdout: String,
    pub(crate) stderr: String,
}

/// Process groups alive now, killed if racelab is interrupted.
static GROUPS: Mutex<Vec<u32>> = Mutex::new(Vec::new());

/// Kills every process group racelab has started and not yet reaped: on
/// Ctrl-C, a closed terminal or SIGTERM, so no check outlives racelab.
pub fn kill_all_groups() {
    let groups = GROUPS.lock().unwrap_or_else(|p| p.into_inner()).clone();
    for pgid in groups {
        kill_group(pgid);
    }
}

/// Installs the handler that calls [`kill_all_groups`] and exits 130 when
/// racelab is interrupted. Children run in groups of their own, so the
/// terminal's Ctrl-C does not reach them: racelab must pass it on.
pub fn kill_groups_on_interrupt() {
    static INSTALLED: AtomicBool = AtomicBool::new(false);
    if INSTALLED.swap(true, Ordering::SeqCst) {
        return;
    }
    let _ = ctrlc::set_handler(|| {
        kill_all_groups();
        std::process::exit(130);
    });
}

#[cfg(unix)]
fn kill_group(pgid: u32) {
    use rustix::process::{kill_process_group, Pid, Signal};
    if let Some(pid) = i32::try_from(pgid).ok().and_then(Pid::from_raw) {
        let _ = kill_process_group(pid, Signal::KILL);
    }
}

#[cfg(not(unix))]
fn kill_group(_pgid: u32) {}

/// Runs `cmd` (its stdin closed, its output captured) in a process group of
/// its own, until it exits, `limit` passes, or `cancel` is set; then kills
/// the group and waits for the child, so no process is left.
pub(crate) fn run_killable(mut cmd: Command, limit: Duration, cancel: &Cancel) -> Result<Ran, LabError> {
    #[cfg(unix)]
    {
        use std::os::unix::process::CommandExt;
        cmd.process_group(0);
    }
    cmd.stdin(Stdio::null()).stdout(Stdio::piped()).stderr(Stdio::piped());
    let mut child = cmd.spawn().map_err(LabError::Cargo)?;
    let pgid = child.id();
    GROUPS.lock().unwrap_or_else(|p| p.into_inner()).push(pgid);
    let out = drain(child.stdout.take());
    let err = drain(child.stderr.take());
    let ended = wait(&mut child, pgid, limit, cancel);
    GROUPS.lock().unwrap_or_else(|p| p.into_inner()).retain(|g| *g != pgid);
    let ended = ended.map_err(LabError::Cargo)?;
    Ok(Ran {
        ended,
        stdout: out.join().unwrap_or_default(),
        stderr: err.join().unwrap_or_default(),
    })
}

fn wait(child: &mut Child, pgid: u32, limit: Duration, cancel: &Cancel) -> std::io::Result<Ended> {
    let start = Instant::now();
    loop {
        if let Some(status) = child.try_wait()? {
            // The child is gone; anything it left in its group goes too.
            kill_group(pgid);
            return Ok(Ended::Exited(status));
        }
        let stop = if cancel.is_cancelled() {
            Some(Ended::Cancelled)
        } else if start.elapsed() > limit {
            Some(Ended::TimeLimit)
        } else {
            None
        };
        if let Some(ended) = stop {
            kill_group(pgid);
            let _ = child.kill();
            child.wait()?;
            return Ok(ended);
        }
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// Reads a pipe to its end on a thread of its own.
fn drain<R: Read + Send + 'static>(pipe: Option<R>) -> std::thread::JoinHandle<String> {
    std::thread::spawn(move || {
        let mut bytes = Vec::new();
        if let Some(mut p) = pipe {
            let _ = p.read_to_end(&mut bytes);
        }
        String::from_utf8_lossy(&bytes).into_owned()
    })
}

/// How long building a lab's check may take (the first build compiles loom
/// and the racelab library with it).
pub(crate) const BUILD_LIMIT: Duration = Duration::from_secs(30 * 60);

/// The result of building a test target.
#[derive(Debug)]
pub(crate) enum Built {
    /// The test binary.
    Binary(PathBuf),
    /// The code did not compile: the compiler's messages.
    CompileError(String),
    /// cargo failed for another reason, or ran out of time.
    Failed(String),
    /// The user quit.
    Cancelled,
}

/// The cargo profile a check is built in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Profile {
    /// `--release`: what `racelab check` uses.
    Release,
    /// The default (`dev`): what `racelab verify` uses.
    Dev,
}

/// Builds the test target `test` of `racelab-labs` in `profile`, with the
/// environment `env` (for `labs/build.rs`), and finds its binary.
pub(crate) fn build_test(
    root: &Path,
    test: &str,
    profile: Profile,
    env: &[(&str, &Path)],
    cancel: &Cancel,
) -> Result<Built, LabError> {
    let mut cmd = Command::new(std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into()));
    cmd.current_dir(root).arg("test");
    if profile == Profile::Release {
        cmd.arg("--release");
    }
    cmd.args([
        "--no-run",
        "-p",
        "racelab-labs",
        "--test",
        test,
        "--message-format=json-render-diagnostics",
    ]);
    // A check chosen with `--file` for one lab; an empty value for the rest.
    cmd.env_remove("RACELAB_LAB").env_remove("RACELAB_LAB_FILE");
    for (key, value) in env {
        cmd.env(key, value);
    }
    let ran = run_killable(cmd, BUILD_LIMIT, cancel)?;
    let status = match ran.ended {
        Ended::Cancelled => return Ok(Built::Cancelled),
        Ended::TimeLimit => {
            return Ok(Built::Failed(format!(
                "building took more than {} minutes",
                BUILD_LIMIT.as_secs() / 60
            )))
        }
        Ended::Exited(status) => status,
    };
    let binary = ran.stdout.lines().find_map(|line| {
        let v: serde_json::Value = serde_json::from_str(line).ok()?;
        (v["reason"] == "compiler-artifact" && v["target"]["name"] == test)
            .then(|| v["executable"].as_str().map(PathBuf::from))
            .flatten()
    });
    Ok(match (status.success(), binary) {
        (true, Some(binary)) => Built::Binary(binary),
        (true, None) => Built::Failed(format!("cargo built no test binary named {test}")),
        (false, _) if compile_error(&ran.stderr) => Built::CompileError(without_progress(&ran.stderr)),
        (false, _) => Built::Failed(ran.stderr),
    })
}

/// cargo's output without its progress lines (`Compiling ...`), so that a
/// student sees the compiler's messages only.
fn without_progress(stderr: &str) -> String {
    const PROGRESS: [&str; 5] = ["Compiling ", "Blocking ", "Finished ", "Building ", "Checking "];
    stderr
        .lines()
        .filter(|l| !PROGRESS.iter().any(|p| l.trim_start().starts_with(p)))
        .collect::<Vec<_>>()
        .join("\n")
}

/// Whether cargo's output says the code did not compile.
fn compile_error(stderr: &str) -> bool {
    stderr.contains("could not compile") || stderr.lines().any(|l| l.starts_with("error"))
}

/// Runs the tests of `binary` whose names contain `filter` (all with
/// `None`), one at a time, within `limit`.
pub(crate) fn run_tests(
    binary: &Path,
    filter: Option<&str>,
    limit: Duration,
    cancel: &Cancel,
) -> Result<Ran, LabError> {
    let mut cmd = Command::new(binary);
    if let Some(filter) = filter {
        cmd.arg(filter);
    }
    cmd.args(["--nocapture", "--test-threads", "1"])
        .env("RUST_BACKTRACE", "0");
    run_killable(cmd, limit, cancel)
}
