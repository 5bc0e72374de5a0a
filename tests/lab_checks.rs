//! `racelab check` on student code that never ends, or that leaves the
//! model: every check ends within its time limit (plus a few seconds), with
//! a clear message, and leaves no process behind.
//!
//! The ones that run a check build the labs in release, which takes minutes
//! the first time, so they are `#[ignore]`d in a plain `cargo test`;
//! `.ci/run` runs them (`cargo test --test lab_checks -- --ignored`) after
//! `racelab verify` has built the labs.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::time::{Duration, Instant};

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/labs")
        .join(name)
}

fn check(lab: &str, file: &Path, time_limit: u64) -> (Output, Duration) {
    let start = Instant::now();
    let out = Command::new(env!("CARGO_BIN_EXE_racelab"))
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .args(["check", lab, "--time-limit", &time_limit.to_string(), "--file"])
        .arg(file)
        .env("NO_COLOR", "1")
        .output()
        .expect("run racelab check");
    (out, start.elapsed())
}

fn text(out: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

/// Processes whose command line names a lab check binary of `lab`
/// (`target/release/deps/NN_name-HASH`).
fn processes_of(lab_binary: &str) -> Vec<String> {
    let Ok(entries) = std::fs::read_dir("/proc") else {
        return Vec::new();
    };
    entries
        .filter_map(Result::ok)
        .filter(|e| e.file_name().to_string_lossy().chars().all(|c| c.is_ascii_digit()))
        .filter_map(|e| {
            let cmdline = std::fs::read(e.path().join("cmdline")).ok()?;
            let cmdline = String::from_utf8_lossy(&cmdline).replace('\0', " ");
            let stat = std::fs::read_to_string(e.path().join("stat")).unwrap_or_default();
            // A zombie is already gone, waiting only for its parent's wait.
            let zombie = stat
                .rsplit(')')
                .next()
                .is_some_and(|rest| rest.trim_start().starts_with('Z'));
            (cmdline.contains(&format!("/deps/{lab_binary}-")) && !zombie).then_some(cmdline)
        })
        .collect()
}

/// Runs `racelab check LAB --file FILE --time-limit LIMIT`, and times it
/// from the moment the check starts running (racelab says so on standard
/// error: "checking lab N ..."), so that building, however long, is not
/// counted. Returns the exit code, everything printed, and that time.
fn check_timed(lab: &str, file: &Path, limit: u64) -> (Option<i32>, String, Duration) {
    use std::io::{BufRead, BufReader, Read};
    use std::process::Stdio;
    let mut child = Command::new(env!("CARGO_BIN_EXE_racelab"))
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .args(["check", lab, "--time-limit", &limit.to_string(), "--file"])
        .arg(file)
        .env("NO_COLOR", "1")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run racelab check");
    let stderr = child.stderr.take().expect("piped");
    let reader = std::thread::spawn(move || {
        let mut started = None;
        let mut text = String::new();
        for line in BufReader::new(stderr).lines().map_while(Result::ok) {
            if started.is_none() && line.starts_with("checking lab") {
                started = Some(Instant::now());
            }
            text.push_str(&line);
            text.push('\n');
        }
        (started, text)
    });
    let mut stdout = String::new();
    child
        .stdout
        .take()
        .expect("piped")
        .read_to_string(&mut stdout)
        .expect("read racelab's output");
    let status = child.wait().expect("wait for racelab");
    let ended = Instant::now();
    let (started, stderr) = reader.join().expect("the reader thread");
    let started = started.unwrap_or_else(|| panic!("racelab never started the check:\n{stdout}{stderr}"));
    (status.code(), format!("{stdout}{stderr}"), ended - started)
}

#[test]
#[ignore = "builds the labs in release: .ci/run runs it"]
fn a_check_that_never_ends_is_stopped_within_its_time_limit_and_leaves_no_process() {
    for (lab, file, binary) in [
        ("2", "02_loop_forever.rs", "02_atomic_counter"),
        ("15", "15_loop_forever.rs", "15_file_counter"),
    ] {
        let (code, all, took) = check_timed(lab, &fixture(file), 5);
        assert_eq!(code, Some(1), "{all}");
        assert!(
            all.contains("time limit: your code did not finish within 5 s"),
            "lab {lab}: {all}"
        );
        assert!(took < Duration::from_secs(5 + 5), "lab {lab}'s check ran {took:?}");
        assert_eq!(
            processes_of(binary),
            Vec::<String>::new(),
            "lab {lab} left processes behind"
        );
    }
}

/// The scan runs before anything is built: quick even on a fresh clone.
#[test]
fn a_file_on_std_types_is_rejected_at_once_naming_the_facade_type() {
    for (lab, file, named) in [
        ("3", "03_std_mutex_deadlock.rs", "racelab::sync::Mutex"),
        ("8", "08_std_once_lock.rs", "racelab::sync::OnceLock"),
    ] {
        let (out, took) = check(lab, &fixture(file), 5);
        let all = text(&out);
        assert_eq!(out.status.code(), Some(1), "{all}");
        assert!(all.contains("cannot see"), "lab {lab}: {all}");
        assert!(all.contains(named), "lab {lab} should name {named}: {all}");
        assert!(took < Duration::from_secs(5 + 5), "lab {lab} took {took:?}");
    }
}

/// The scan runs before anything is built: quick even on a fresh clone.
#[test]
fn lab_02s_starter_on_std_atomics_is_rejected_naming_the_facade_atomic() {
    let starter = Path::new(env!("CARGO_MANIFEST_DIR")).join("labs/exercises/02_atomic_counter.rs");
    let starter = std::fs::read_to_string(starter).expect("read lab 02's starter");
    let switched = starter.replace("use racelab::sync::atomic::", "use std::sync::atomic::");
    assert_ne!(starter, switched, "lab 02's starter imports racelab::sync::atomic");
    let dir = tempfile::tempdir().expect("a temporary folder");
    let file = dir.path().join("02_on_std.rs");
    std::fs::write(&file, switched).expect("write the switched starter");
    let (out, _) = check("2", &file, 5);
    let all = text(&out);
    assert_eq!(out.status.code(), Some(1), "{all}");
    assert!(all.contains("racelab::sync::atomic::AtomicU64"), "{all}");
}
