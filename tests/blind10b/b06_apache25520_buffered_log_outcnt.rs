//! # b06: Apache httpd's buffered log writer, two workers appending at one `outcnt` (an atomicity violation)
//!
//! **Source.** Apache httpd bug 25520
//! (<https://bz.apache.org/bugzilla/show_bug.cgi?id=25520>, httpd 2.0.48,
//! `modules/loggers/mod_log_config.c`): with `BufferedLogs On` under a
//! threaded MPM, log lines were corrupted. `ap_buffered_log_writer` does
//! `for (i = 0, s = &buf->outbuf[buf->outcnt]; i < nelts; ++i) { memcpy(s,
//! strs[i], strl[i]); s += strl[i]; } buf->outcnt += len;` with no lock, so
//! two worker threads can copy their lines to the same place and both
//! advance `outcnt`. The fix wraps the writer in `APR_ANYLOCK_LOCK(&buf->
//! mutex)` / `APR_ANYLOCK_UNLOCK`. An Apache atomicity violation of the
//! kind Lu et al., ASPLOS 2008, study; this very bug is one of AVIO's
//! (ASPLOS 2006) Apache examples and a common race-detection benchmark
//! ("Data-race in Apache-2.0.48", ref. bug 25520).
//!
//! **The program, reduced.** The buffer has two one-byte slots
//! (`outbuf[0]`, `outbuf[1]`) and `outcnt`; each of `worker1`, `worker2`
//! appends one byte (its number) as the C code does: read `outcnt` to find
//! where to copy, copy, then `outcnt += 1` (a second read and a write). The
//! flush check (`len + outcnt > LOG_BUFSIZE`) never fires with two bytes and
//! is left out. Plain C accesses are `SeqCst` atomics here (the logical bug,
//! not C's undefined behaviour). After both, `main` flushes
//! `outbuf[..outcnt]`: it must hold both lines, `[1, 2]` or `[2, 1]`.
//!
//! **The bug.** E.g. `worker1: load outcnt -> 0`, `worker1: store outbuf[0]
//! <- 1`, then `worker2` runs whole (`load outcnt -> 0`, `store outbuf[0] <-
//! 2`, `load outcnt -> 0`, `store outcnt <- 1`), then `worker1: load outcnt ->
//! 1`, `store outcnt <- 2`: the log is `[2, 0]` — worker1's line overwritten,
//! a garbage slot flushed. If both `+=` interleave too, `outcnt` loses an
//! increment as well (`[2]`).
//!
//! **Teacher marks.**
//! 1. The second writer's copy into a slot the first writer already claimed
//!    (above: `worker2`'s `store outbuf[0] <- 2`), kind `stale_check` or
//!    `atomicity_violation`: "worker2 copies to slot 0 because it read
//!    `outcnt -> 0` at step N, but worker1 had already taken slot 0 (its read
//!    at step M, its copy at step K) and not yet advanced `outcnt`: the find
//!    and the advance were meant as one". Lenient: a mark naming the same
//!    pair from worker1's side.
//! 2. Only if the timeline shows it: a `store outcnt` that overwrites the
//!    other worker's `store outcnt` it did not read, kind `lost_update`.
//!
//! No mark on a `store outcnt` that read the latest value (in the schedule
//! above, `worker1`'s `store outcnt <- 2` is computed from a fresh read and
//! is right), nor on `main`'s flush.
//!
//! **Controls.** httpd's fix, a `Mutex` around the whole writer; and the
//! slot claimed with one `fetch_add` on `outcnt` before copying (a different
//! primitive: an atomic read-modify-write instead of a lock).

use racelab::explore::{FailureKind, Grade, Scenario};
use racelab::sync::atomic::{AtomicU8, AtomicUsize, Ordering::SeqCst};
use racelab::sync::{thread, Arc, Mutex};

use crate::common;

struct BufferedLog {
    outcnt: AtomicUsize,
    outbuf: [AtomicU8; 2],
}

fn buffered_log() -> Arc<BufferedLog> {
    Arc::new(BufferedLog {
        outcnt: AtomicUsize::new(0).named("outcnt"),
        outbuf: [AtomicU8::new(0).named("outbuf[0]"), AtomicU8::new(0).named("outbuf[1]")],
    })
}

/// ap_buffered_log_writer, before the fix (one byte per line).
fn write_line(buf: &BufferedLog, line: u8) {
    let s = buf.outcnt.load(SeqCst); // s = &buf->outbuf[buf->outcnt]
    buf.outbuf[s].store(line, SeqCst); // memcpy(s, strs[i], strl[i])
    let n = buf.outcnt.load(SeqCst); // buf->outcnt += len
    buf.outcnt.store(n + 1, SeqCst);
}

fn flush(buf: &BufferedLog) -> String {
    let n = buf.outcnt.load(SeqCst);
    let lines: Vec<u8> = buf.outbuf[..n].iter().map(|b| b.load(SeqCst)).collect();
    format!("log {lines:?}")
}

fn both_lines(o: &String) -> Grade {
    if o == "log [1, 2]" || o == "log [2, 1]" {
        Grade::Acceptable
    } else {
        Grade::Forbidden
    }
}

fn two_workers(name: &'static str, writer: fn(&BufferedLog, &Mutex<()>, u8)) -> Scenario<String> {
    Scenario::new(name, move || {
        let buf = buffered_log();
        let mutex = Arc::new(Mutex::new(()).named("buf.mutex"));
        let mut handles = Vec::new();
        for (who, line) in [("worker1", 1u8), ("worker2", 2u8)] {
            let (b, m) = (Arc::clone(&buf), Arc::clone(&mutex));
            handles.push(
                thread::Builder::new()
                    .name(who)
                    .spawn(move || writer(&b, &m, line))
                    .unwrap(),
            );
        }
        for h in handles {
            h.join().unwrap();
        }
        flush(&buf)
    })
    .expect("log [1, 2] or log [2, 1]", both_lines)
}

fn racy() -> Scenario<String> {
    two_workers("blind10b::b06_buffered_log_racy", |b, _, line| write_line(b, line))
}

fn fixed_mutex() -> Scenario<String> {
    two_workers("blind10b::b06_buffered_log_mutex", |b, m, line| {
        let _g = m.lock().unwrap(); // APR_ANYLOCK_LOCK(&buf->mutex)
        write_line(b, line);
    })
}

fn fixed_fetch_add() -> Scenario<String> {
    two_workers("blind10b::b06_buffered_log_fetch_add", |b, _, line| {
        let s = b.outcnt.fetch_add(1, SeqCst); // claim the slot
        b.outbuf[s].store(line, SeqCst);
    })
}

#[test]
fn b06_racy_loom() {
    let report = common::explore(&racy(), &common::loom());
    report.assert_racy(Some(FailureKind::ForbiddenOutcome));
}

#[test]
fn b06_racy_shuttle() {
    let report = common::explore(&racy(), &common::shuttle());
    report.assert_racy(Some(FailureKind::ForbiddenOutcome));
}

#[test]
fn b06_fixed_mutex_holds() {
    common::explore(&fixed_mutex(), &common::loom()).assert_holds();
    common::explore(&fixed_mutex(), &common::shuttle()).assert_holds();
}

#[test]
fn b06_fixed_fetch_add_holds() {
    common::explore(&fixed_fetch_add(), &common::loom()).assert_holds();
    common::explore(&fixed_fetch_add(), &common::shuttle()).assert_holds();
}
