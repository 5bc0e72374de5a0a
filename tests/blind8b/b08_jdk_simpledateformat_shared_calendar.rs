//! # b08: `SimpleDateFormat` shared between threads: one `Calendar` field for all
//!
//! **Source.** The JDK bug database: Sun bug 6231579 (a `SimpleDateFormat`
//! shared between threads fails inside `Calendar.setTime`,
//! <https://bugs.java.com/bugdatabase/view_bug.do?bug_id=6231579>, cited
//! with its stack trace in JetBrains/intellij-community pull request #781,
//! "Avoid thread-unsafe SimpleDateFormat access in PerformanceWatcher"), and
//! the class's own javadoc: "Date formats are not synchronized. It is
//! recommended to create separate format instances for each thread. If
//! multiple threads access a format concurrently, it must be synchronized
//! externally." The mechanism, from the JDK source: `format(Date)` first
//! stores the date into the formatter's one `calendar` field
//! (`calendar.setTime(date)`, `SimpleDateFormat.java:943` in that trace),
//! then formats from the fields of `calendar`, not from its argument.
//!
//! **The program.** Two threads share one formatter; each formats its own
//! date. Between one thread's `setTime` and its reading of the calendar,
//! the other thread's `setTime` can land: the first thread prints the other
//! thread's date.
//!
//! **Transcription.** The formatter's `calendar` is a
//! `racelab::sync::cell::UnsafeCell<u32>` named `calendar` (a plain Java
//! field, no synchronisation), holding the date as `yyyymmdd`. `format`
//! writes it (`with_mut`, `setTime`) then reads it (`with`, `subFormat`).
//! Thread `t1` formats 19990101, `t2` 20240229; main returns both strings.
//!
//! **The bad execution.** t1 `write calendar <- 19990101`, t2 `write
//! calendar <- 20240229`, t1 `read calendar -> 20240229`: t1 prints t2's
//! date. On loom the first unordered pair of accesses is a data race and
//! loom stops there (a `data race` verdict); shuttle runs on to the wrong
//! output (a forbidden outcome).
//!
//! **Teacher marks.**
//! - loom: the racing access loom stops at (t2's write after t1's, or t1's
//!   read after t2's write), kind `data_race`: "t2's write of calendar
//!   races with t1's write (or read) at step N: nothing orders the two
//!   threads' accesses to the shared calendar." (1 mark.)
//! - shuttle: t1's `read calendar -> 20240229`, kind `atomicity_violation`:
//!   "t1 reads t2's write of step N, not its own write of step M: setTime
//!   and the formatting that reads it back were meant as one." A mark on
//!   t2's write naming t1's write and read is the other end: lenient.
//!   (1 mark.)
//!
//! No mark on t2's own write-then-read when it is not split, nor on spawns
//! and joins; on shuttle, a `lost_update` on t2's write would be wrong
//! (t2's write is blind: it overwrites a value nobody had read yet, and the
//! harm is t1's read, not a lost count).
//!
//! **Controls.** (a) the javadoc's "synchronized externally": the calendar
//! under a `Mutex` for the whole `format`; (b) the javadoc's "separate
//! format instances for each thread", the usual `ThreadLocal<DateFormat>`:
//! a `racelab::thread_local!` formatter per thread; the threads share
//! nothing but their results, handed back through `join`.

use std::cell::RefCell;

use racelab::explore::{FailureKind, Scenario};
use racelab::sync::cell::UnsafeCell;
use racelab::sync::{thread, Arc, Mutex};

use crate::common;

/// The part of `SimpleDateFormat` that matters: its `calendar` field.
struct SimpleDateFormat {
    calendar: UnsafeCell<u32>,
}

// SAFETY: it is not: that is the bug. Sharing it lets loom see the race on
// `calendar` (each access goes through the facade cell).
unsafe impl Sync for SimpleDateFormat {}

impl SimpleDateFormat {
    fn new() -> Self {
        SimpleDateFormat {
            calendar: UnsafeCell::new(0).named("calendar"),
        }
    }

    /// `format(date)`: `calendar.setTime(date)`, then format from `calendar`.
    fn format(&self, date: u32) -> String {
        // SAFETY: none, as in the Java class; under loom an unordered access
        // is reported as a data race rather than run.
        self.calendar.with_mut(|c| unsafe { *c = date });
        let shown = self.calendar.with(|c| unsafe { *c });
        format!("{shown}")
    }
}

const DATES: [(&str, u32); 2] = [("t1", 19990101), ("t2", 20240229)];

fn expected() -> String {
    "t1 printed 19990101, t2 printed 20240229".to_owned()
}

fn racy() -> Scenario<String> {
    Scenario::new("b08::shared_simpledateformat", || {
        let df = Arc::new(SimpleDateFormat::new());
        let handles: Vec<_> = DATES
            .into_iter()
            .map(|(name, date)| {
                let df = Arc::clone(&df);
                thread::Builder::new()
                    .name(name)
                    .spawn(move || df.format(date))
                    .unwrap()
            })
            .collect();
        let out: Vec<String> = handles.into_iter().map(|h| h.join().unwrap()).collect();
        format!("t1 printed {}, t2 printed {}", out[0], out[1])
    })
    .expect_only(expected())
}

#[test]
fn loom_finds_the_race_on_calendar() {
    let report = common::explore(&racy(), &common::loom());
    report.assert_racy(Some(FailureKind::DataRace));
}

#[test]
fn shuttle_finds_the_wrong_date() {
    let report = common::explore(&racy(), &common::shuttle());
    report.assert_racy(Some(FailureKind::ForbiddenOutcome));
}

fn synchronized() -> Scenario<String> {
    Scenario::new("b08::synchronized_format", || {
        let calendar = Arc::new(Mutex::new(0u32).named("calendar"));
        let handles: Vec<_> = DATES
            .into_iter()
            .map(|(name, date)| {
                let calendar = Arc::clone(&calendar);
                thread::Builder::new()
                    .name(name)
                    .spawn(move || {
                        let mut c = calendar.lock().unwrap();
                        *c = date;
                        format!("{}", *c)
                    })
                    .unwrap()
            })
            .collect();
        let out: Vec<String> = handles.into_iter().map(|h| h.join().unwrap()).collect();
        format!("t1 printed {}, t2 printed {}", out[0], out[1])
    })
    .expect_only(expected())
}

#[test]
fn loom_synchronized_holds() {
    common::explore(&synchronized(), &common::loom()).assert_holds();
}

#[test]
fn shuttle_synchronized_holds() {
    common::explore(&synchronized(), &common::shuttle()).assert_holds();
}

racelab::thread_local! {
    /// `ThreadLocal<DateFormat>`: each thread's own formatter.
    static FORMAT: RefCell<Option<SimpleDateFormat>> = RefCell::new(None);
}

fn thread_local() -> Scenario<String> {
    Scenario::new("b08::thread_local_format", || {
        let handles: Vec<_> = DATES
            .into_iter()
            .map(|(name, date)| {
                thread::Builder::new()
                    .name(name)
                    .spawn(move || {
                        FORMAT.with(|f| {
                            let mut f = f.borrow_mut();
                            f.get_or_insert_with(SimpleDateFormat::new).format(date)
                        })
                    })
                    .unwrap()
            })
            .collect();
        let out: Vec<String> = handles.into_iter().map(|h| h.join().unwrap()).collect();
        format!("t1 printed {}, t2 printed {}", out[0], out[1])
    })
    .expect_only(expected())
}

#[test]
fn loom_thread_local_holds() {
    common::explore(&thread_local(), &common::loom()).assert_holds();
}

#[test]
fn shuttle_thread_local_holds() {
    common::explore(&thread_local(), &common::shuttle()).assert_holds();
}
