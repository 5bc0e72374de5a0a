//! The process demos through the real `racelab` binary: pids, memory that
//! is not shared, a pipe, the file race and its lock, and a `Worker` that
//! is always reaped.

use std::io::Read;
use std::path::Path;

use racelab::process::{file_race, info, isolation, pipe, worker_command, Worker};

fn exe() -> &'static Path {
    Path::new(env!("CARGO_BIN_EXE_racelab"))
}

#[test]
fn the_child_names_the_parent_as_its_parent_and_has_its_own_pid() {
    let info = info::info(exe()).unwrap();
    assert_eq!(info.parent.pid, std::process::id());
    assert_ne!(info.child.pid, info.parent.pid);
    #[cfg(unix)]
    assert_eq!(info.child.ppid, Some(info.parent.pid));
    #[cfg(unix)]
    assert!(info.child_of_parent());
}

#[test]
fn a_child_increments_its_own_copy_and_the_parents_counter_stays() {
    let iso = isolation::isolation(exe(), 41).unwrap();
    assert_eq!(iso.parent_before, 41);
    assert_eq!(iso.child, 42);
    assert_eq!(iso.parent_after, 41);
    assert!(iso.isolated());
}

#[test]
fn an_increment_that_would_overflow_is_a_failed_worker_not_a_panic() {
    let e = isolation::isolation(exe(), u64::MAX).unwrap_err();
    assert!(e.to_string().contains("increment"), "{e}");
}

#[test]
fn the_child_answers_every_line_sent_through_the_pipe_in_order() {
    let answers = pipe::round_trip(exe(), &["hello", "pipe", "ünïcode"]).unwrap();
    assert_eq!(answers, ["HELLO", "PIPE", "ÜNÏCODE"]);
}

#[test]
fn a_pipe_round_trip_bigger_than_the_pipe_buffers_does_not_deadlock() {
    // 4 × 64 KiB each way: writing everything before reading would block.
    let line = "x".repeat(1000);
    let lines: Vec<&str> = (0..256).map(|_| line.as_str()).collect();
    let answers = pipe::round_trip(exe(), &lines).unwrap();
    assert_eq!(answers.len(), lines.len());
    assert!(answers.iter().all(|a| *a == "X".repeat(1000)));
}

#[test]
fn a_line_with_a_line_break_is_refused_before_any_process_starts() {
    let e = pipe::round_trip(exe(), &["one\ntwo"]).unwrap_err();
    assert_eq!(e.kind(), std::io::ErrorKind::InvalidInput);
}

#[test]
fn under_the_file_lock_no_update_is_lost() {
    let dir = tempfile::tempdir().unwrap();
    let r = file_race::race(exe(), dir.path(), 2, 500, true).unwrap();
    assert_eq!(r.expected, 1000);
    assert_eq!(r.got, 1000);
    assert!(r.exact());
    assert_eq!(r.lost(), 0);
}

#[test]
fn without_the_lock_the_count_never_exceeds_the_updates_made() {
    // Whether updates are lost depends on the machine: not asserted.
    let dir = tempfile::tempdir().unwrap();
    let r = file_race::race(exe(), dir.path(), 2, 500, false).unwrap();
    assert_eq!(r.expected, 1000);
    assert!(r.got >= 1 && r.got <= r.expected, "{r:?}");
    assert_eq!(r.lost(), r.expected - r.got);
}

#[test]
fn a_file_counter_worker_on_a_file_that_is_not_a_number_fails_naming_the_file() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("counter.txt");
    std::fs::write(&path, "not a number\n").unwrap();

    // In this process: an error, not a panic, and it names the file.
    let e = file_race::worker(&path, 3, false).unwrap_err();
    assert_eq!(e.kind(), std::io::ErrorKind::InvalidData);
    assert!(e.to_string().contains(&*path.to_string_lossy()), "{e}");
    assert!(file_race::read_counter(&path).is_err());

    // Through the binary: a failed exit, with the file named on stderr.
    let mut cmd = worker_command(exe(), ["file-counter".as_ref(), path.as_os_str(), "3".as_ref()]);
    cmd.stderr(std::process::Stdio::piped());
    let mut w = Worker::spawn(cmd).unwrap();
    let mut stderr = String::new();
    w.stderr().unwrap().read_to_string(&mut stderr).unwrap();
    let status = w.wait().unwrap();
    assert!(!status.success());
    assert!(stderr.contains(&*path.to_string_lossy()), "{stderr}");
    assert_eq!(std::fs::read_to_string(&path).unwrap(), "not a number\n");
}

#[test]
fn a_file_counter_worker_on_a_missing_file_fails_naming_the_file() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("missing.txt");
    let e = file_race::worker(&path, 1, true).unwrap_err();
    assert!(e.to_string().contains("missing.txt"), "{e}");
}

#[test]
fn a_worker_that_exits_badly_makes_the_race_an_error() {
    let dir = tempfile::tempdir().unwrap();
    // A folder where the counter file should be: the workers cannot open it.
    std::fs::create_dir(dir.path().join("counter-unlocked.txt")).unwrap();
    assert!(file_race::race(exe(), dir.path(), 2, 10, false).is_err());
}

#[cfg(target_os = "linux")]
fn is_our_child(pid: u32) -> bool {
    // Field 4 of /proc/<pid>/stat is the parent pid; the name before it is
    // in parentheses and may hold spaces.
    std::fs::read_to_string(format!("/proc/{pid}/stat"))
        .ok()
        .and_then(|stat| {
            let rest = &stat[stat.rfind(')')? + 1..];
            rest.split_whitespace().nth(1)?.parse::<u32>().ok()
        })
        .is_some_and(|ppid| ppid == std::process::id())
}

#[cfg(target_os = "linux")]
#[test]
fn dropping_a_worker_kills_and_reaps_it() {
    let w = Worker::spawn(worker_command(exe(), ["idle"])).unwrap();
    let pid = w.id();
    assert!(is_our_child(pid), "the idle worker {pid} should be running");
    drop(w);
    // Reaped: no process (not even a zombie) with this pid is our child.
    assert!(!is_our_child(pid), "worker {pid} is still our child after drop");
}

#[cfg(target_os = "linux")]
#[test]
fn killing_a_worker_reaps_it_and_reports_the_signal() {
    use std::os::unix::process::ExitStatusExt;
    let w = Worker::spawn(worker_command(exe(), ["idle"])).unwrap();
    let pid = w.id();
    let status = w.kill().unwrap();
    assert_eq!(status.signal(), Some(9));
    assert!(!is_our_child(pid));
}

#[test]
fn a_worker_exits_when_its_stdin_closes() {
    let mut w = Worker::spawn(worker_command(exe(), ["idle"])).unwrap();
    w.close_stdin();
    // It exits on its own (status 3), so this wait returns.
    assert_eq!(w.wait().unwrap().code(), Some(3));
}
