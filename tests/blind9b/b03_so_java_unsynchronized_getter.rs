//! b03: a `synchronized` setter with an unsynchronized getter.
//!
//! Source: the Stack Overflow question "Should getters and setters be
//! synchronized?" (stored copy:
//! <https://java-j2ee.wekeepcoding.com/article/30366632/Should+getters+and+setters+be+synchronized>).
//! The asker's code:
//!
//! ```java
//! private double value;
//! public synchronized void setValue(double value) { this.value = value; }
//! public double getValue() { return this.value; }
//! ```
//!
//! "In the above example is there any point in making the getter
//! synchronized?" The accepted answer (the teacher's explanation) quotes
//! *Java Concurrency in Practice*: every access to a shared mutable variable,
//! reads included, must hold the same lock, otherwise the reader may see a
//! stale value; and for a non-volatile `long` or `double` the JVM may split
//! a read or write into two 32-bit halves, so an unsynchronized reader "may
//! get back the high 32 bits of one value and the low 32 bits of another".
//!
//! Transcription: the object's monitor is a `Mutex<()>`; the `double` is
//! kept, as the answer says the JVM may keep it, as two 32-bit halves in two
//! `UnsafeCell<u32>` (`value.hi`, `value.lo`); `setValue` locks the monitor
//! and writes both halves, `getValue` reads both halves without it. A
//! `writer` thread calls `setValue(0.1)`; `main` calls `getValue()`. Outcome:
//! the double read (`0`, `0.1`) or `torn 0x...` for a mix of halves.
//!
//! Expected verdicts: loom checks every `UnsafeCell` access against
//! happens-before: a `data race` (the getter's reads are ordered with the
//! setter's writes by nothing). shuttle does not check races, but may switch
//! threads between the getter's two reads: a torn value (forbidden outcome).
//!
//! **Teacher marks** (1 per backend):
//! - loom: the getter's unlocked read (`main`'s `read value.hi` or `read
//!   value.lo`, whichever loom stops at): `data_race`, "races with the
//!   writer's write of step N: the setter holds the monitor, the getter does
//!   not, so nothing orders them". A mark on the setter's write naming the
//!   getter's read is lenient.
//! - shuttle: `main`'s second read, the one that returns a half from the
//!   other side of the writer's `setValue`: `atomicity_violation` (torn
//!   snapshot), "the two halves read at steps N and M straddle the writer's
//!   writes of steps ...". A `data_race` mark on the same read naming the
//!   setter's write is lenient (true, but not why the value is wrong).
//!
//! No mark belongs on: the writer's `lock`/`unlock` of the monitor, its
//! writes as such (they are under the lock, as they should be), the setup.
//!
//! Controls: the answer's fix with another primitive than `synchronized`,
//! a `RwLock<f64>` (getter takes the read lock, setter the write lock); and
//! a `volatile double`, here an `AtomicU64` holding the bits.

use racelab::explore::{FailureKind, Grade, Scenario};
use racelab::sync::atomic::{AtomicU64, Ordering::SeqCst};
use racelab::sync::cell::UnsafeCell;
use racelab::sync::{thread, Arc, Mutex, RwLock};

use super::common;

const NEW: f64 = 0.1;

fn show(bits: u64) -> String {
    if bits == 0 {
        "0".to_owned()
    } else if bits == NEW.to_bits() {
        "0.1".to_owned()
    } else {
        format!("torn {bits:#018x}")
    }
}

fn grade(o: &str) -> Grade {
    if o.starts_with("torn") {
        Grade::Forbidden
    } else {
        Grade::Acceptable
    }
}

/// The asker's class: the monitor, and the double as the JVM may store it.
struct Holder {
    monitor: Mutex<()>,
    hi: UnsafeCell<u32>,
    lo: UnsafeCell<u32>,
}

// SAFETY: the point of the puzzle: the getter reads without the monitor. The
// cells hold plain `u32`s, and loom checks every access.
unsafe impl Sync for Holder {}

impl Holder {
    fn set_value(&self, value: f64) {
        let _sync = self.monitor.lock().unwrap();
        let bits = value.to_bits();
        self.hi.with_mut(|p| unsafe { *p = (bits >> 32) as u32 });
        self.lo.with_mut(|p| unsafe { *p = bits as u32 });
    }

    fn get_value_bits(&self) -> u64 {
        let hi = self.hi.with(|p| unsafe { *p });
        let lo = self.lo.with(|p| unsafe { *p });
        ((hi as u64) << 32) | lo as u64
    }
}

fn racy() -> Scenario<String> {
    Scenario::new("blind9b::b03_unsynchronized_getter", || {
        let holder = Arc::new(Holder {
            monitor: Mutex::new(()).named("monitor"),
            hi: UnsafeCell::new(0).named("value.hi"),
            lo: UnsafeCell::new(0).named("value.lo"),
        });
        let h = Arc::clone(&holder);
        let writer = thread::Builder::new()
            .name("writer")
            .spawn(move || h.set_value(NEW))
            .unwrap();
        let seen = holder.get_value_bits();
        writer.join().unwrap();
        show(seen)
    })
    .expect("0 or 0.1, never a mix of halves", |o: &String| grade(o))
}

/// Control: `ReadWriteLock` (getter read lock, setter write lock).
fn fixed_rwlock() -> Scenario<String> {
    Scenario::new("blind9b::b03_fix_rwlock", || {
        let value = Arc::new(RwLock::new(0.0f64).named("value"));
        let v = Arc::clone(&value);
        let writer = thread::Builder::new()
            .name("writer")
            .spawn(move || *v.write().unwrap() = NEW)
            .unwrap();
        let seen = *value.read().unwrap();
        writer.join().unwrap();
        show(seen.to_bits())
    })
    .expect("0 or 0.1, never a mix of halves", |o: &String| grade(o))
}

/// Control: `private volatile double value;` (its bits in one atomic).
fn fixed_volatile() -> Scenario<String> {
    Scenario::new("blind9b::b03_fix_volatile", || {
        let value = Arc::new(AtomicU64::new(0).named("value"));
        let v = Arc::clone(&value);
        let writer = thread::Builder::new()
            .name("writer")
            .spawn(move || v.store(NEW.to_bits(), SeqCst))
            .unwrap();
        let seen = value.load(SeqCst);
        writer.join().unwrap();
        show(seen)
    })
    .expect("0 or 0.1, never a mix of halves", |o: &String| grade(o))
}

#[test]
fn racy_loom() {
    let report = common::explore(&racy(), &common::loom());
    report.assert_racy(Some(FailureKind::DataRace));
}

#[test]
fn racy_shuttle() {
    let report = common::explore(&racy(), &common::shuttle());
    report.assert_racy(Some(FailureKind::ForbiddenOutcome));
}

#[test]
fn fixes_hold() {
    for explorer in [common::loom(), common::shuttle()] {
        common::explore(&fixed_rwlock(), &explorer).assert_holds();
        common::explore(&fixed_volatile(), &explorer).assert_holds();
    }
}
