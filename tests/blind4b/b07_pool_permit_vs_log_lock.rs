//! A service with a one-connection database pool (a `Semaphore` with one
//! permit) and a shared log (`Mutex<Vec<&str>>`). The nightly report takes
//! the log lock first ("so the report's lines stay together"), writes a line,
//! then waits for a connection; a request handler takes a connection, runs
//! its query, then logs that it was served before handing the connection
//! back ("it hangs about once a week").
//!
//! The bug: the two threads take the same two resources in opposite orders.
//! When the handler holds the permit and the report holds the log, the
//! report waits for the permit and the handler for the log: a deadlock
//! through a semaphore and a mutex.
//!
//! Teacher marks (written before looking at racelab's marks):
//! 1. report's blocked `acquire db_pool` (or the wait line it is made of):
//!    **deadlock**, it waits for the permit that `request` holds, while
//!    holding `log`.
//! 2. request's blocked `lock log`: **deadlock**, it waits for `log`, which
//!    `report` holds (the cycle).
//!
//! Spurious: order violation on the semaphore (nobody releases a permit it
//! did not take), lost wake-up, any mark on the earlier successful lock or
//! acquire steps that is not about the cycle.

use racelab::explore::{Explorer, Scenario};
use racelab::sync::{thread, Arc, Mutex, Semaphore};

use crate::common::{expect_bug, expect_holds};

struct Service {
    db_pool: Semaphore,
    log: Mutex<Vec<&'static str>>,
}

impl Service {
    fn nightly_report(&self) {
        let mut log = self.log.lock().unwrap();
        log.push("report: start");
        self.db_pool.acquire();
        log.push("report: done");
        self.db_pool.release();
    }

    /// The fix: hold the log only for each line.
    fn nightly_report_fixed(&self) {
        self.log.lock().unwrap().push("report: start");
        self.db_pool.acquire();
        self.log.lock().unwrap().push("report: done");
        self.db_pool.release();
    }

    fn handle_request(&self) {
        self.db_pool.acquire();
        self.log.lock().unwrap().push("request: served");
        self.db_pool.release();
    }
}

fn scenario(name: &str, fixed: bool) -> Scenario<usize> {
    Scenario::new(name, move || {
        let svc = Arc::new(Service {
            db_pool: Semaphore::new(1).named("db_pool"),
            log: Mutex::new(Vec::new()).named("log"),
        });
        let s = Arc::clone(&svc);
        let report = thread::Builder::new()
            .name("report")
            .spawn(move || {
                if fixed {
                    s.nightly_report_fixed()
                } else {
                    s.nightly_report()
                }
            })
            .unwrap();
        let s = Arc::clone(&svc);
        let request = thread::Builder::new()
            .name("request")
            .spawn(move || s.handle_request())
            .unwrap();
        report.join().unwrap();
        request.join().unwrap();
        let lines = svc.log.lock().unwrap().len();
        lines
    })
    .expect_only(3)
}

#[test]
fn loom_finds_deadlock() {
    expect_bug(&scenario("b07::permit_vs_log", false), &Explorer::loom());
}

#[test]
fn shuttle_finds_deadlock() {
    expect_bug(&scenario("b07::permit_vs_log", false), &Explorer::shuttle());
}

#[test]
fn loom_fix_holds() {
    expect_holds(&scenario("b07::permit_vs_log_fixed", true), &Explorer::loom());
}

#[test]
fn shuttle_fix_holds() {
    expect_holds(&scenario("b07::permit_vs_log_fixed", true), &Explorer::shuttle());
}
