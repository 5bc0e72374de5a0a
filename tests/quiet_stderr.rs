//! Used as a library, an exploration prints nothing to standard error:
//! shuttle writes "test panicked in task ..." and "Test deadlocked ..."
//! straight to it (`eprintln!`), which the explorer must silence.
//!
//! libtest captures what a test prints, so the check needs a real standard
//! error: the test runs itself again in a child process, with
//! `--nocapture`, and reads the child's.

#![cfg(all(unix, feature = "shuttle"))]

use std::process::Command;

use racelab::explore::{Explorer, FailureKind, Scenario};
use racelab::sync::{thread, Arc, Mutex};

/// Set in the child: run the explorations instead of the child.
const CHILD: &str = "RACELAB_QUIET_STDERR_CHILD";

fn two_lock_deadlock() -> Scenario<u32> {
    Scenario::new("quiet::deadlock", || {
        let a = Arc::new(Mutex::new(0u32));
        let b = Arc::new(Mutex::new(0u32));
        let (a2, b2) = (Arc::clone(&a), Arc::clone(&b));
        let t = thread::spawn(move || {
            let _b = b2.lock().unwrap();
            let _a = a2.lock().unwrap();
        });
        {
            let _a = a.lock().unwrap();
            let _b = b.lock().unwrap();
        }
        t.join().unwrap();
        0
    })
}

fn failed_assertion() -> Scenario<u32> {
    Scenario::new("quiet::assertion", || {
        let n = Arc::new(Mutex::new(0u32));
        let m = Arc::clone(&n);
        let t = thread::spawn(move || *m.lock().unwrap() += 1);
        assert_eq!(*n.lock().unwrap(), 1, "the other thread ran first");
        t.join().unwrap();
        0
    })
}

#[test]
fn shuttle_explorations_that_deadlock_or_panic_print_nothing_to_stderr() {
    if std::env::var_os(CHILD).is_some() {
        let explorer = Explorer::shuttle().with_budget(100);
        two_lock_deadlock()
            .explore(&explorer)
            .unwrap()
            .assert_racy(Some(FailureKind::Deadlock));
        failed_assertion()
            .explore(&explorer)
            .unwrap()
            .assert_racy(Some(FailureKind::Panic));
        return;
    }
    let me = "shuttle_explorations_that_deadlock_or_panic_print_nothing_to_stderr";
    let out = Command::new(std::env::current_exe().expect("the test binary"))
        .args([me, "--exact", "--nocapture", "--test-threads=1"])
        .env(CHILD, "1")
        .output()
        .expect("the test binary runs again");
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "the child failed:\n{stdout}\n{stderr}");
    assert!(stdout.contains("1 passed"), "the child ran no test:\n{stdout}");
    assert_eq!(stderr, "", "the explorations wrote to stderr");
}
