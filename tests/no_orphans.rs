//! No process demo leaves a child running: counts this test's processes
//! before and after each way a child can be left behind.
//!
//! Two counts, from `/proc`:
//! - **descendants**: processes whose chain of parent ids leads to this test
//!   process. A direct child counts even as a zombie (state `Z`): a zombie
//!   child of ours is one we did not reap. Deeper descendants count only
//!   while running.
//! - **tagged**: processes whose environment holds `RACELAB_TEST_TAG` with
//!   this run's value. The tag is set on the commands this test starts
//!   itself and is inherited by their children, so it follows a grandchild
//!   that was reparented when its parent died. Those count only while
//!   running: a reparented child that exited waits for the new parent (PID 1,
//!   or a subreaper) to reap it, and PID 1 in a container may never do so;
//!   such a zombie holds no memory and runs nothing. Entries that vanish or
//!   cannot be read are skipped; each check first sees its processes in the
//!   count, so a count that could not see them would fail, not pass.
//!
//! Everything is in one test function, in a test binary of its own: tests
//! of one binary run on parallel threads, and another test's children
//! would disturb the counts.
#![cfg(target_os = "linux")]

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use racelab::process::{file_race, info, isolation, pipe, worker_command, Worker};

const TAG_VAR: &str = "RACELAB_TEST_TAG";

fn exe() -> &'static Path {
    Path::new(env!("CARGO_BIN_EXE_racelab"))
}

/// One entry of `/proc`: pid, state, parent pid.
struct Proc {
    pid: u32,
    state: char,
    ppid: u32,
}

fn stat(pid: u32) -> Option<Proc> {
    let text = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    // "pid (name) S ppid ...": the name may hold spaces and parentheses.
    let mut rest = text[text.rfind(')')? + 1..].split_whitespace();
    let state = rest.next()?.chars().next()?;
    let ppid = rest.next()?.parse().ok()?;
    Some(Proc { pid, state, ppid })
}

fn all_processes() -> Vec<Proc> {
    let Ok(dir) = std::fs::read_dir("/proc") else {
        return Vec::new();
    };
    dir.filter_map(|e| e.ok()?.file_name().to_str()?.parse::<u32>().ok())
        .filter_map(stat)
        .collect()
}

/// Pids of this process's descendants that are left over: direct children
/// in any state (not reaped), deeper ones while running.
fn descendants() -> Vec<u32> {
    let me = std::process::id();
    let procs = all_processes();
    let parent_of = |pid: u32| procs.iter().find(|p| p.pid == pid).map(|p| p.ppid);
    procs
        .iter()
        .filter(|p| {
            if p.ppid == me {
                return true;
            }
            if p.state == 'Z' {
                return false;
            }
            // Walk up (bounded, in case /proc changed under us).
            let mut up = p.ppid;
            for _ in 0..64 {
                if up == me {
                    return true;
                }
                match parent_of(up) {
                    Some(next) if next != up && up > 1 => up = next,
                    _ => return false,
                }
            }
            false
        })
        .map(|p| p.pid)
        .collect()
}

/// Pids of running (not zombie) processes whose environment holds `tag`.
fn tagged_running(tag: &str) -> Vec<u32> {
    let needle = format!("{TAG_VAR}={tag}");
    all_processes()
        .into_iter()
        .filter(|p| p.state != 'Z')
        .filter(|p| {
            std::fs::read(format!("/proc/{}/environ", p.pid))
                .is_ok_and(|env| env.split(|&b| b == 0).any(|var| var == needle.as_bytes()))
        })
        .map(|p| p.pid)
        .collect()
}

fn assert_none_left(tag: &str, after: &str) {
    assert_eq!(descendants(), Vec::<u32>::new(), "children left after {after}");
    assert_eq!(
        tagged_running(tag),
        Vec::<u32>::new(),
        "tagged processes left after {after}"
    );
}

#[test]
fn no_process_demo_leaves_a_child_running_even_when_its_parent_is_killed() {
    let nanos = SystemTime::now().duration_since(UNIX_EPOCH).map_or(0, |d| d.as_nanos());
    let tag = format!("{}-{nanos}", std::process::id());
    assert_none_left(&tag, "nothing (before the test)");

    // 1. The demos' library functions wait for or reap every child.
    let i = info::info(exe()).unwrap();
    assert!(i.child_of_parent());
    assert_none_left(&tag, "info()");
    assert!(isolation::isolation(exe(), 0).unwrap().isolated());
    assert_none_left(&tag, "isolation()");
    assert_eq!(pipe::round_trip(exe(), &["a", "b"]).unwrap(), ["A", "B"]);
    assert_none_left(&tag, "round_trip()");
    let dir = tempfile::tempdir().unwrap();
    assert!(file_race::race(exe(), dir.path(), 2, 200, true).unwrap().exact());
    assert_none_left(&tag, "race(locked)");
    file_race::race(exe(), dir.path(), 2, 200, false).unwrap();
    assert_none_left(&tag, "race(unlocked)");
    std::fs::create_dir(dir.path().join("bad")).unwrap();
    std::fs::create_dir(dir.path().join("bad/counter-unlocked.txt")).unwrap();
    assert!(file_race::race(exe(), &dir.path().join("bad"), 3, 10, false).is_err());
    assert_none_left(&tag, "a race whose workers fail");

    // 2. A worker dropped without waiting is killed and reaped.
    let mut cmd = worker_command(exe(), ["idle"]);
    cmd.env(TAG_VAR, &tag);
    let idle = Worker::spawn(cmd).unwrap();
    assert_eq!(descendants(), [idle.id()], "the idle worker is counted");
    assert_eq!(tagged_running(&tag), [idle.id()], "the idle worker is tagged");
    drop(idle);
    assert_none_left(&tag, "dropping a worker");

    // 3. A parent killed with SIGKILL (no destructor runs) does not leave
    // its children running: they see their stdin close and exit.
    const CHILDREN: usize = 3;
    let mut cmd = worker_command(exe(), ["spawn-idle".to_owned(), CHILDREN.to_string()]);
    cmd.env(TAG_VAR, &tag);
    let mut parent = Worker::spawn(cmd).unwrap();
    let parent_pid = parent.id();
    let grandchildren: Vec<u32> = BufReader::new(parent.stdout().unwrap())
        .lines()
        .take(CHILDREN)
        .map(|l| l.unwrap().trim().parse().unwrap())
        .collect();
    assert_eq!(grandchildren.len(), CHILDREN);
    let mut expected = grandchildren.clone();
    expected.push(parent_pid);
    expected.sort_unstable();
    let mut running = tagged_running(&tag);
    running.sort_unstable();
    assert_eq!(running, expected, "the parent and its children are running and tagged");
    let mut deep = descendants();
    deep.sort_unstable();
    assert_eq!(deep, expected, "the parent and its children are our descendants");

    let status = parent.kill().unwrap();
    assert!(!status.success());
    // Poll, with a deadline, until the orphans have noticed and exited.
    let deadline = Instant::now() + Duration::from_secs(10);
    let mut left = tagged_running(&tag);
    while !left.is_empty() && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(10));
        left = tagged_running(&tag);
    }
    assert_eq!(left, Vec::<u32>::new(), "children of the killed parent still running");
    assert_none_left(&tag, "killing a parent with SIGKILL");
}
