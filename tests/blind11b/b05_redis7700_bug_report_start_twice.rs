//! # Redis #7700: "Fix data race in bugReportStart"
//!
//! **Source.** <https://github.com/redis/redis/pull/7700> (by
//! ShooterIT, merged 2020-08), following the race report redis/redis#7391:
//!
//! > If two threads get `bug_report_start` simultaneously, both of them will
//! > execute the following instructions if `bug_report_start == 0`, because
//! > read and write of `bug_report_start` is not atomic.
//! >
//! > ```c
//! > if (bug_report_start == 0) {
//! >    serverLogRaw(LL_WARNING|LL_RAW,
//! >        "\n\n=== REDIS BUG REPORT START: Cut & paste starting from here ===\n");
//! >    bug_report_start = 1;
//! > }
//! > ```
//!
//! The fix took a `pthread_mutex_t` around the test, the log line and the
//! assignment (the PR mentions a compare-and-swap as the other way).
//!
//! **The program.** Two Redis threads crash at once (`main` and `io_thread`,
//! as with threaded I/O) and both call `bugReportStart()`: test the global
//! `bug_report_start` (an `int`; modelled as an atomic with `SeqCst` loads and
//! stores, i.e. individual word accesses, so that the model shows the
//! interleaving rather than stopping at undefined behaviour), append the
//! header to the log (`serverLogRaw`: one locked append), set the flag to 1.
//!
//! **The bug.** Check-then-act: both threads test 0 before either sets 1, and
//! the "BUG REPORT START" header is printed twice.
//!
//! **Teacher marks** (written before the first run):
//! 1. the second thread to append the header (its `lock`/`unlock log` that
//!    pushes the second header): kind `stale_check` (or
//!    `atomicity_violation`): "acts on its check of `bug_report_start` (it read
//!    0), which the other thread acted on first / set to 1 after it".
//!
//! No mark belongs on: the stores `bug_report_start <- 1` (blind writes of the
//! same value: no update is lost), the first thread's append, the final
//! `lock log` by `main` that counts headers, the spawn and join.
//!
//! **Controls.** (a) The Redis fix: a mutex around test, log and set.
//! (b) `Once::call_once` around the header: another primitive.

use racelab::explore::{FailureKind, Scenario};
use racelab::sync::atomic::{AtomicU32, Ordering::SeqCst};
use racelab::sync::{thread, Arc, Mutex, Once};

use crate::common;

const HEADER: &str = "=== REDIS BUG REPORT START ===";

#[derive(Clone, Copy)]
enum Variant {
    Racy,
    Mutex,
    Once,
}

struct Server {
    bug_report_start: AtomicU32,
    bug_report_start_mutex: Mutex<bool>,
    once: Once,
    log: Mutex<Vec<&'static str>>,
}

impl Server {
    fn server_log_raw(&self, line: &'static str) {
        self.log.lock().unwrap().push(line);
    }

    fn bug_report_start(&self, v: Variant) {
        match v {
            Variant::Racy => {
                if self.bug_report_start.load(SeqCst) == 0 {
                    self.server_log_raw(HEADER);
                    self.bug_report_start.store(1, SeqCst);
                }
            }
            Variant::Mutex => {
                let mut started = self.bug_report_start_mutex.lock().unwrap();
                if !*started {
                    self.server_log_raw(HEADER);
                    *started = true;
                }
            }
            Variant::Once => self.once.call_once(|| self.server_log_raw(HEADER)),
        }
    }
}

fn scenario(name: &str, v: Variant) -> Scenario<String> {
    Scenario::new(name, move || {
        let server = Arc::new(Server {
            bug_report_start: AtomicU32::new(0).named("bug_report_start"),
            bug_report_start_mutex: Mutex::new(false).named("bug_report_start_mutex"),
            once: Once::new().named("bug_report_once"),
            log: Mutex::new(Vec::new()).named("log"),
        });
        let s = Arc::clone(&server);
        let io = thread::Builder::new()
            .name("io_thread")
            .spawn(move || s.bug_report_start(v))
            .unwrap();
        server.bug_report_start(v);
        io.join().unwrap();
        let headers = server.log.lock().unwrap().iter().filter(|l| **l == HEADER).count();
        format!("{headers} report header(s)")
    })
    .expect_only("1 report header(s)".to_string())
}

#[test]
fn racy_loom() {
    let s = scenario("b05::bug_report_start_racy", Variant::Racy);
    common::explore(&s, &common::loom()).assert_racy(Some(FailureKind::ForbiddenOutcome));
}

#[test]
fn racy_shuttle() {
    let s = scenario("b05::bug_report_start_racy", Variant::Racy);
    common::explore(&s, &common::shuttle()).assert_racy(Some(FailureKind::ForbiddenOutcome));
}

#[test]
fn control_mutex_loom() {
    let s = scenario("b05::bug_report_start_mutex", Variant::Mutex);
    common::explore(&s, &common::loom()).assert_holds();
}

#[test]
fn control_mutex_shuttle() {
    let s = scenario("b05::bug_report_start_mutex", Variant::Mutex);
    common::explore(&s, &common::shuttle()).assert_holds();
}

#[test]
fn control_once_loom() {
    let s = scenario("b05::bug_report_start_once", Variant::Once);
    common::explore(&s, &common::loom()).assert_holds();
}

#[test]
fn control_once_shuttle() {
    let s = scenario("b05::bug_report_start_once", Variant::Once);
    common::explore(&s, &common::shuttle()).assert_holds();
}
