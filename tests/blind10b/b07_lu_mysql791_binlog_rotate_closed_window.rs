//! # b07: MySQL's binlog rotation, an insert that sees the log "closed" mid-rotation (an atomicity violation)
//!
//! **Source.** The MySQL binary-log bug of the bug-study literature (MySQL
//! bug #791, as AVIO, ASPLOS 2006, and Lu et al., *Learning from Mistakes*,
//! ASPLOS 2008, cite it): `MYSQL_LOG::new_file()` rotates the binlog by
//! `close()` — which sets `log_type = LOG_CLOSED` — and then `open()` — which
//! sets it back — while a concurrent statement tests `is_open()` (`log_type
//! != LOG_CLOSED`) before writing its event: "sql_insert() reads an
//! intermediate value produced by new_file(), and thinks the log file is
//! already closed, as a result, the action of sql_insert() is not recorded
//! in log" (the reduced test of the ConVul benchmark, `MYSQL_LOG::new_file`
//! / `sql_insert`). MySQL's fix did not add a lock: `new_file()` now calls
//! `close(LOG_CLOSE_TO_BE_OPENED)`, and `sql/log.cc` says "Note that at this
//! point, log_type != LOG_CLOSED (important for is_open())" — in line with
//! Lu et al.'s finding 4, that most non-deadlock bugs were not fixed by
//! adding or changing locks.
//!
//! **The program, reduced.** `log_type` is an atomic byte (`SeqCst`, for
//! MySQL's plain field); `LOCK_log` is a `Mutex` over the binlog's events.
//! Thread `flush-logs` rotates under `LOCK_log`: `store log_type <-
//! LOG_CLOSED` (close), `store log_type <- LOG_BIN` (open). Thread `insert`
//! has updated its table and logs: `if is_open() { LOCK_log.lock().push(
//! "INSERT") }`. After both, the binlog must hold the insert.
//!
//! **The bug.** `flush-logs: store log_type <- 0`, `insert: load log_type ->
//! 0` (is_open is false), `flush-logs: store log_type <- 3`: the insert
//! skips the binlog, and a replica never sees it.
//!
//! **Teacher marks.**
//! 1. `insert`'s `load log_type -> 0`, kind `atomicity_violation` (or the
//!    `order_violation` "lands between"): "this read lands between
//!    flush-logs' `store log_type <- 0` (step N) and `store log_type <- 3`
//!    (step M), two writes meant as one rotation: it sees a state that only
//!    exists inside new_file()". A `stale_read` mark would be false (0 is the
//!    latest value when it is read).
//!
//! No mark on `flush-logs`' lock of `LOCK_log`, on its stores as such, nor
//! on `main`'s read of the binlog.
//!
//! **Controls.** MySQL's fix (rotation never shows `LOG_CLOSED`:
//! `close(LOG_CLOSE_TO_BE_OPENED)` keeps `log_type`), and the check moved
//! under `LOCK_log` (a lock, where the fix used none).

use racelab::explore::{FailureKind, Scenario};
use racelab::sync::atomic::{AtomicU8, Ordering::SeqCst};
use racelab::sync::{thread, Arc, Mutex};

use crate::common;

const LOG_CLOSED: u8 = 0;
const LOG_BIN: u8 = 3;

struct MysqlLog {
    log_type: AtomicU8,
    /// LOCK_log, and the binlog's events it protects.
    lock_log: Mutex<Vec<&'static str>>,
}

impl MysqlLog {
    fn is_open(&self) -> bool {
        self.log_type.load(SeqCst) != LOG_CLOSED
    }
}

#[derive(Clone, Copy)]
enum Variant {
    Racy,
    CloseToBeOpened,
    CheckUnderLock,
}

fn binlog(name: &'static str, variant: Variant) -> Scenario<String> {
    Scenario::new(name, move || {
        let log = Arc::new(MysqlLog {
            log_type: AtomicU8::new(LOG_BIN).named("log_type"),
            lock_log: Mutex::new(Vec::new()).named("LOCK_log"),
        });
        let l = Arc::clone(&log);
        let flush_logs = thread::Builder::new()
            .name("flush-logs")
            .spawn(move || {
                // MYSQL_LOG::new_file()
                let _g = l.lock_log.lock().unwrap();
                match variant {
                    // close(LOG_CLOSE_TO_BE_OPENED): log_type is kept
                    Variant::CloseToBeOpened => {}
                    // close(): log_type = LOG_CLOSED
                    _ => l.log_type.store(LOG_CLOSED, SeqCst),
                }
                // open(old_name, save_log_type, ...)
                l.log_type.store(LOG_BIN, SeqCst);
            })
            .unwrap();
        let l = Arc::clone(&log);
        let insert = thread::Builder::new()
            .name("insert")
            .spawn(move || match variant {
                Variant::CheckUnderLock => {
                    let mut events = l.lock_log.lock().unwrap();
                    if l.is_open() {
                        events.push("INSERT");
                    }
                }
                _ => {
                    if l.is_open() {
                        l.lock_log.lock().unwrap().push("INSERT");
                    }
                }
            })
            .unwrap();
        flush_logs.join().unwrap();
        insert.join().unwrap();
        let events = log.lock_log.lock().unwrap().clone();
        format!("binlog {events:?}")
    })
    .expect_only("binlog [\"INSERT\"]".to_string())
}

#[test]
fn b07_racy_loom() {
    let report = common::explore(&binlog("blind10b::b07_binlog_racy", Variant::Racy), &common::loom());
    report.assert_racy(Some(FailureKind::ForbiddenOutcome));
}

#[test]
fn b07_racy_shuttle() {
    let report = common::explore(&binlog("blind10b::b07_binlog_racy", Variant::Racy), &common::shuttle());
    report.assert_racy(Some(FailureKind::ForbiddenOutcome));
}

#[test]
fn b07_fixed_close_to_be_opened_holds() {
    let s = binlog("blind10b::b07_binlog_close_to_be_opened", Variant::CloseToBeOpened);
    common::explore(&s, &common::loom()).assert_holds();
    common::explore(&s, &common::shuttle()).assert_holds();
}

#[test]
fn b07_fixed_check_under_lock_holds() {
    let s = binlog("blind10b::b07_binlog_check_under_lock", Variant::CheckUnderLock);
    common::explore(&s, &common::loom()).assert_holds();
    common::explore(&s, &common::shuttle()).assert_holds();
}
