//! b06: `wait()` and `notify()` on two different objects.
//!
//! Source: the Stack Overflow question 44453484, "Java: waiting thread
//! doesn't resume after notify" (stored copy:
//! <https://wiki.kunaldawn.com/content/stackoverflow.com_en_all_2023-11/questions/44453484/java-waiting-thread-doesn-t-resume-after-notify>,
//! original <https://stackoverflow.com/questions/44453484>). The asker's
//! program: thread `T1` runs `synchronized (this) { wait(); }` and should
//! print "Thread-0 is waken up"; thread `T2` runs `synchronized (this) {
//! Thread.sleep(3000); notify(); }`. Output: T1 is running, T2 is running,
//! T2 notifying, and then nothing: "my program doesn't end".
//!
//! The answer (the teacher's explanation): each thread's `Runnable` is its
//! own anonymous class instance, so `this` is a different object in each:
//! `T1` waits on *its* `Runnable`'s monitor and `T2` notifies *its own*,
//! which nobody waits on. The notification is lost for good and `T1` waits
//! forever (keeping the JVM alive). Share one lock object (and, as always,
//! wait in a loop on a condition).
//!
//! Transcription: each `Runnable`'s monitor is a `(Mutex<()>, Condvar)`
//! pair: `runnable1` for `T1`, `runnable2` for `T2`. `T1` locks its own and
//! waits once (Java's bare `wait()`, no condition); `T2` locks its own and
//! calls `notify_one` (`Thread.sleep` is left out). The JVM staying alive is
//! `main` joining both threads. Outcome: `"woken"` once `T1` is past its
//! `wait` (only a spurious wake-up would do that).
//!
//! Expected verdict: `deadlock` (`T1` blocked in `wait` on `runnable1`
//! forever, `main` blocked joining it), in every execution but a spurious
//! wake-up.
//!
//! **Teacher marks** (2 per backend):
//! - `T1`'s `wait` on `runnable1`: `deadlock` (or `lost_wakeup`), "waits on
//!   `runnable1`'s condvar, which no thread ever notifies: the only notify,
//!   `T2`'s (step N), went to `runnable2`".
//! - `T2`'s `notify` on `runnable2`: `lost_wakeup` (or `deadlock`),
//!   "notifies `runnable2`, on which nobody waits: the waiter `T1` waits on
//!   `runnable1`". Text that calls it a notify that came *before* the wait
//!   (a timing problem) is false here when the notify came after `T1`
//!   began waiting, and would be spurious.
//!
//! No mark belongs on: the `lock`/`unlock` lines, `main`'s joins (a mark on
//! `main`'s join of `T1` that says it waits for `T1` is true and relevant,
//! not required).
//!
//! Controls: the answer's fix, one shared monitor with a condition
//! (`ready` flag, `wait_while`); and another primitive: a channel, `T2`
//! sends, `T1` receives.

use racelab::explore::{FailureKind, Scenario};
use racelab::sync::mpsc;
use racelab::sync::{thread, Arc, Condvar, Mutex};

use super::common;

/// A Java object's monitor: its lock and its wait set.
struct Monitor {
    lock: Mutex<()>,
    cond: Condvar,
}

impl Monitor {
    fn new(name: &str) -> Self {
        Monitor {
            lock: Mutex::new(()).named(name),
            cond: Condvar::new().named(name),
        }
    }
}

fn racy() -> Scenario<&'static str> {
    Scenario::new("blind9b::b06_notify_on_other_monitor", || {
        // `this` inside each anonymous Runnable.
        let runnable1 = Arc::new(Monitor::new("runnable1"));
        let runnable2 = Arc::new(Monitor::new("runnable2"));
        let t1 = thread::Builder::new()
            .name("T1")
            .spawn(move || {
                let this = &runnable1;
                let guard = this.lock.lock().unwrap(); // synchronized (this)
                let _guard = this.cond.wait(guard).unwrap(); // wait();
                "woken"
            })
            .unwrap();
        let t2 = thread::Builder::new()
            .name("T2")
            .spawn(move || {
                let this = &runnable2;
                let _guard = this.lock.lock().unwrap(); // synchronized (this)
                this.cond.notify_one(); // notify();
            })
            .unwrap();
        let woken = t1.join().unwrap();
        t2.join().unwrap();
        woken
    })
    .expect_only("woken")
}

/// Control: one shared monitor, and a condition to wait on.
fn fixed_shared_monitor() -> Scenario<&'static str> {
    Scenario::new("blind9b::b06_fix_shared_monitor", || {
        let shared = Arc::new((Mutex::new(false).named("ready"), Condvar::new().named("ready")));
        let s1 = Arc::clone(&shared);
        let t1 = thread::Builder::new()
            .name("T1")
            .spawn(move || {
                let (lock, cond) = &*s1;
                let _ready = cond.wait_while(lock.lock().unwrap(), |ready| !*ready).unwrap();
                "woken"
            })
            .unwrap();
        let s2 = Arc::clone(&shared);
        let t2 = thread::Builder::new()
            .name("T2")
            .spawn(move || {
                let (lock, cond) = &*s2;
                *lock.lock().unwrap() = true;
                cond.notify_one();
            })
            .unwrap();
        let woken = t1.join().unwrap();
        t2.join().unwrap();
        woken
    })
    .expect_only("woken")
}

/// Control: a channel instead of a monitor.
fn fixed_channel() -> Scenario<&'static str> {
    Scenario::new("blind9b::b06_fix_channel", || {
        let (tx, rx) = mpsc::channel_named::<()>("wake");
        let t1 = thread::Builder::new()
            .name("T1")
            .spawn(move || {
                rx.recv().unwrap();
                "woken"
            })
            .unwrap();
        let t2 = thread::Builder::new()
            .name("T2")
            .spawn(move || tx.send(()).unwrap())
            .unwrap();
        let woken = t1.join().unwrap();
        t2.join().unwrap();
        woken
    })
    .expect_only("woken")
}

#[test]
fn racy_loom() {
    let report = common::explore(&racy(), &common::loom());
    report.assert_racy(Some(FailureKind::Deadlock));
}

#[test]
fn racy_shuttle() {
    let report = common::explore(&racy(), &common::shuttle());
    report.assert_racy(Some(FailureKind::Deadlock));
}

#[test]
fn fixes_hold() {
    for explorer in [common::loom(), common::shuttle()] {
        common::explore(&fixed_shared_monitor(), &explorer).assert_holds();
        common::explore(&fixed_channel(), &explorer).assert_holds();
    }
}
