//! # Java Concurrency in Practice, Listing 4.10: `NumberRange`
//!
//! Source: Goetz et al., *Java Concurrency in Practice*, section 4.1.3 and
//! Listing 4.10 ("Number range class that does not sufficiently protect its
//! invariants"): `lower` and `upper` are two `AtomicInteger`s with the
//! invariant `lower <= upper`; `setLower(i)` checks `i > upper.get()` before
//! `lower.set(i)`, `setUpper(i)` checks `i < lower.get()` before
//! `upper.set(i)`.
//!
//! The bug (the book's own interleaving): range (0, 10); one thread calls
//! `setLower(5)` while another calls `setUpper(4)`. Each check reads the
//! other bound before the other thread's set: both pass, and the range ends
//! (5, 4). Each variable is atomic; the invariant over the two is not.
//!
//! ## Teacher marks (written before looking at racelab's marks)
//! 1. The LATER of the two sets (`store lower <- 5` or `store upper <- 4`,
//!    whichever comes second): kind `stale_check` ("acts on the check at step
//!    N", N = its own load of the other bound, which the other thread's set
//!    changed in between). `atomicity_violation` (check and act split by
//!    another thread) is also the right kind. Lenient: the other thread's
//!    set, explained as landing between that check and that act; or the
//!    check itself, with the same explanation.
//!
//! Spurious: a stale-check mark on the FIRST set (its check still held when
//! it acted); `lost_update` (the two threads write different variables: no
//! update is lost); `stale_read` / `no_sync` (all `SeqCst`); marks on
//! `main`'s final loads.
//!
//! Controls: both bounds under one `Mutex` (the book's fix: lock to keep the
//! invariant), and both bounds packed in one `AtomicU64` updated by
//! compare-exchange (another primitive).

use crate::common::{explore, loom, shuttle};
use racelab::explore::{Grade, Scenario};
use racelab::sync::atomic::{AtomicI32, AtomicU64, Ordering::SeqCst};
use racelab::sync::{thread, Arc, Mutex};

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Version {
    TwoAtomics,
    Locked,
    Packed,
}

trait Range: Send + Sync {
    fn set_lower(&self, i: i32) -> Result<(), String>;
    fn set_upper(&self, i: i32) -> Result<(), String>;
    fn get(&self) -> (i32, i32);
}

/// Listing 4.10 as written.
struct NumberRange {
    lower: AtomicI32,
    upper: AtomicI32,
}

impl Range for NumberRange {
    fn set_lower(&self, i: i32) -> Result<(), String> {
        // Warning -- unsafe check-then-act
        if i > self.upper.load(SeqCst) {
            return Err(format!("can't set lower to {i} > upper"));
        }
        self.lower.store(i, SeqCst);
        Ok(())
    }

    fn set_upper(&self, i: i32) -> Result<(), String> {
        // Warning -- unsafe check-then-act
        if i < self.lower.load(SeqCst) {
            return Err(format!("can't set upper to {i} < lower"));
        }
        self.upper.store(i, SeqCst);
        Ok(())
    }

    fn get(&self) -> (i32, i32) {
        (self.lower.load(SeqCst), self.upper.load(SeqCst))
    }
}

/// The fix the book gives: one lock over both bounds.
struct LockedRange(Mutex<(i32, i32)>);

impl Range for LockedRange {
    fn set_lower(&self, i: i32) -> Result<(), String> {
        let mut r = self.0.lock().unwrap();
        if i > r.1 {
            return Err(format!("can't set lower to {i} > upper"));
        }
        r.0 = i;
        Ok(())
    }

    fn set_upper(&self, i: i32) -> Result<(), String> {
        let mut r = self.0.lock().unwrap();
        if i < r.0 {
            return Err(format!("can't set upper to {i} < lower"));
        }
        r.1 = i;
        Ok(())
    }

    fn get(&self) -> (i32, i32) {
        *self.0.lock().unwrap()
    }
}

/// Both bounds in one word, replaced together by compare-exchange.
struct PackedRange(AtomicU64);

fn pack(lower: i32, upper: i32) -> u64 {
    (u64::from(lower as u32) << 32) | u64::from(upper as u32)
}

fn unpack(w: u64) -> (i32, i32) {
    ((w >> 32) as u32 as i32, w as u32 as i32)
}

impl PackedRange {
    fn update(&self, f: impl Fn(i32, i32) -> Result<(i32, i32), String>) -> Result<(), String> {
        let mut cur = self.0.load(SeqCst);
        loop {
            let (lo, hi) = unpack(cur);
            let (nlo, nhi) = f(lo, hi)?;
            match self.0.compare_exchange(cur, pack(nlo, nhi), SeqCst, SeqCst) {
                Ok(_) => return Ok(()),
                Err(actual) => cur = actual,
            }
        }
    }
}

impl Range for PackedRange {
    fn set_lower(&self, i: i32) -> Result<(), String> {
        self.update(|_, hi| {
            if i > hi {
                Err(format!("can't set lower to {i} > upper"))
            } else {
                Ok((i, hi))
            }
        })
    }

    fn set_upper(&self, i: i32) -> Result<(), String> {
        self.update(|lo, _| {
            if i < lo {
                Err(format!("can't set upper to {i} < lower"))
            } else {
                Ok((lo, i))
            }
        })
    }

    fn get(&self) -> (i32, i32) {
        unpack(self.0.load(SeqCst))
    }
}

fn number_range(version: Version) -> Scenario<String> {
    Scenario::new(format!("jcip::number_range_{version:?}"), move || {
        let range: Arc<dyn Range> = match version {
            Version::TwoAtomics => Arc::new(NumberRange {
                lower: AtomicI32::new(0).named("lower"),
                upper: AtomicI32::new(10).named("upper"),
            }),
            Version::Locked => Arc::new(LockedRange(Mutex::new((0, 10)).named("range"))),
            Version::Packed => Arc::new(PackedRange(AtomicU64::new(pack(0, 10)).named("range"))),
        };
        let r = Arc::clone(&range);
        let alice = thread::Builder::new()
            .name("alice")
            .spawn(move || r.set_lower(5).is_ok())
            .unwrap();
        let r = Arc::clone(&range);
        let bob = thread::Builder::new()
            .name("bob")
            .spawn(move || r.set_upper(4).is_ok())
            .unwrap();
        let (a, b) = (alice.join().unwrap(), bob.join().unwrap());
        let (lo, hi) = range.get();
        format!("range ({lo}, {hi}), setLower(5) {}, setUpper(4) {}", ok(a), ok(b))
    })
    .expect("lower <= upper", |o: &String| {
        let inner = &o["range (".len()..o.find(')').unwrap()];
        let (lo, hi) = inner.split_once(", ").unwrap();
        if lo.parse::<i32>().unwrap() <= hi.parse::<i32>().unwrap() {
            Grade::Acceptable
        } else {
            Grade::Forbidden
        }
    })
}

fn ok(b: bool) -> &'static str {
    if b {
        "ok"
    } else {
        "threw"
    }
}

#[test]
fn a05_number_range_loom() {
    explore(&number_range(Version::TwoAtomics), &loom())
        .assert_racy(Some(racelab::explore::FailureKind::ForbiddenOutcome));
}

#[test]
fn a05_number_range_shuttle() {
    explore(&number_range(Version::TwoAtomics), &shuttle())
        .assert_racy(Some(racelab::explore::FailureKind::ForbiddenOutcome));
}

#[test]
fn a05_control_locked_holds() {
    explore(&number_range(Version::Locked), &loom()).assert_holds();
    explore(&number_range(Version::Locked), &shuttle()).assert_holds();
}

#[test]
fn a05_control_packed_cas_holds() {
    explore(&number_range(Version::Packed), &loom()).assert_holds();
    explore(&number_range(Version::Packed), &shuttle()).assert_holds();
}
