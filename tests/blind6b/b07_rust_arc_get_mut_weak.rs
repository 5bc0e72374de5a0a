//! # Rust 1.0's `Arc::get_mut`: two counts read one after the other
//!
//! **Source.** rust-lang/rust#24880 "arc::get_mut/Arc::make_unique are racy"
//! (<https://github.com/rust-lang/rust/issues/24880>), fixed by
//! rust-lang/rust#26610 "Fix race condition in Arc's get_mut and
//! make_unique" (<https://github.com/rust-lang/rust/pull/26610>). The issue:
//! "Both of these essentially check that `inner().strong == 1 &&
//! inner().weak == 1` to check that `&mut self` is the only reference to the
//! Arc's data. However in between the checks a Weak pointer could be
//! promoted and the Weak pointer dropped, resulting in both checks
//! succeeding." The fix: "'lock' the weak pointer count when trying to
//! establish uniqueness, by reusing the field as a simple spinlock"
//! (`weak.compare_exchange(1, usize::MAX)`, then read `strong`, then
//! `weak.store(1, Release)`).
//!
//! **The program** (Rust 1.0's `liballoc/arc.rs`, the parts on this path):
//! `get_mut` is `strong.load(SeqCst) == 1 && weak.load(SeqCst) - 1 == 0`
//! (the implicit weak reference counted in `weak`); `Weak::upgrade` loops
//! `n = strong.load(SeqCst); if n == 0 { None }; CAS(n, n + 1, SeqCst)`;
//! dropping a `Weak` is `weak.fetch_sub(1, Release)`, dropping an `Arc`
//! `strong.fetch_sub(1, Release)` (deallocation left out). The data is a
//! pair in an `UnsafeCell`. `main` owns the `Arc` and, if `get_mut` says it
//! is unique, writes (1, 1) through the `&mut`; `bob` owns the only `Weak`:
//! he upgrades it, drops the `Weak`, reads the pair through his new `Arc`,
//! and drops it.
//!
//! **The bug.** `main` reads `strong` = 1; bob upgrades (`strong` 2) and
//! drops his `Weak` (`weak` 1); `main` reads `weak` = 1: "unique", although
//! bob holds a strong reference. `main` writes through its `&mut` while bob
//! reads through his `&`: a data race (loom), and bob may see a torn pair
//! (1, 0) (shuttle).
//!
//! **Teacher marks:**
//! - **T1** `atomicity_violation` ("torn snapshot"), on `main`'s `load weak
//!   -> 1` (the second half of the check): "main read `strong` = 1 at step N,
//!   before bob's upgrade (step M) made it 2, and `weak` = 1 after bob's drop
//!   of his Weak (step K): the pair (1, 1) never existed at one time; bob
//!   holds a strong reference when main concludes it is unique." A mark on
//!   `main`'s `load strong` naming the pair is lenient.
//! - **T2** `data_race` (loom; under shuttle an `atomicity_violation` "torn
//!   snapshot" on bob's two reads of the pair, naming main's write between
//!   them, is equivalent), on the later of main's write of `data` and bob's
//!   read of it: "races with step N: main writes through the `&mut` that
//!   `get_mut` gave, bob reads through his upgraded `Arc`; nothing orders
//!   them."
//!
//! No mark belongs on: bob's upgrade CAS by itself (legal), his `Weak` drop
//! (legal), the final `Arc` drop.
//!
//! **Controls.** (1) The fix of PR #26610: lock the weak count
//! (`compare_exchange(1, usize::MAX)`, `Acquire`), read `strong`, unlock
//! (`store(1, Release)`); `Weak` creation is not in play, and `upgrade`
//! is unchanged. (2) Another primitive: the data behind a `RwLock` (bob's
//! read lock, main's write lock), the counts unchanged: `get_mut`'s answer
//! no longer matters for memory safety.

use crate::common;
use racelab::explore::{FailureKind, Grade, Scenario};
use racelab::sync::atomic::{
    AtomicUsize,
    Ordering::{Acquire, Relaxed, Release, SeqCst},
};
use racelab::sync::cell::UnsafeCell;
use racelab::sync::{thread, Arc, RwLock};

struct ArcInner {
    strong: AtomicUsize,
    /// Weak references, plus one for all the strong ones together.
    weak: AtomicUsize,
    data: UnsafeCell<(u32, u32)>,
}

// SAFETY: as `Arc<T>` claims for `T: Sync`: the counts are meant to make the
// `&mut` of `get_mut` unique.
unsafe impl Sync for ArcInner {}
unsafe impl Send for ArcInner {}

/// The state after `let arc = Arc::new((0, 0)); let weak = Arc::downgrade(&arc);`:
/// one strong reference (main's), `weak` = 2 (bob's `Weak` and the implicit one).
fn new_inner() -> ArcInner {
    ArcInner {
        strong: AtomicUsize::new(1).named("strong"),
        weak: AtomicUsize::new(2).named("weak"),
        data: UnsafeCell::new((0, 0)).named("data"),
    }
}

/// Rust 1.0: `strong_count(this) == 1 && weak_count(this) == 0`.
fn get_mut_racy(inner: &ArcInner) -> bool {
    inner.strong.load(SeqCst) == 1 && inner.weak.load(SeqCst) - 1 == 0
}

/// PR #26610: lock the weak count while reading the strong one.
fn get_mut_fixed(inner: &ArcInner) -> bool {
    if inner.weak.compare_exchange(1, usize::MAX, Acquire, Relaxed).is_ok() {
        let unique = inner.strong.load(Acquire) == 1;
        inner.weak.store(1, Release);
        unique
    } else {
        false
    }
}

/// `Weak::upgrade`.
fn upgrade(inner: &ArcInner) -> bool {
    loop {
        let n = inner.strong.load(SeqCst);
        if n == 0 {
            return false;
        }
        if inner.strong.compare_exchange(n, n + 1, SeqCst, SeqCst).is_ok() {
            return true;
        }
    }
}

/// Forbidden: bob saw half of main's write.
fn untorn(o: &str) -> Grade {
    if o.contains("(1, 0)") || o.contains("(0, 1)") {
        Grade::Forbidden
    } else {
        Grade::Acceptable
    }
}

fn counted(name: &str, get_mut: fn(&ArcInner) -> bool) -> Scenario<String> {
    Scenario::new(name, move || {
        let inner = Arc::new(new_inner());
        let b = Arc::clone(&inner);
        let bob = thread::Builder::new()
            .name("bob")
            .spawn(move || {
                let upgraded = upgrade(&b);
                b.weak.fetch_sub(1, Release); // drop(weak)
                if upgraded {
                    let x = b.data.with(|p| unsafe { (*p).0 });
                    let y = b.data.with(|p| unsafe { (*p).1 });
                    b.strong.fetch_sub(1, Release); // drop(arc)
                    format!("{:?}", (x, y))
                } else {
                    "gone".to_string()
                }
            })
            .unwrap();
        let unique = get_mut(&inner);
        if unique {
            inner.data.with_mut(|p| unsafe { (*p).0 = 1 });
            inner.data.with_mut(|p| unsafe { (*p).1 = 1 });
        }
        let seen = bob.join().unwrap();
        format!("get_mut={} bob saw {seen}", if unique { "Some" } else { "None" })
    })
    .expect("bob never sees half of main's write", |o: &String| untorn(o))
}

fn racy() -> Scenario<String> {
    counted("blind6b::arc_get_mut_racy", get_mut_racy)
}

fn fixed() -> Scenario<String> {
    counted("blind6b::arc_get_mut_locked_weak", get_mut_fixed)
}

/// The racy counts, but the data behind a `RwLock`.
fn rwlock() -> Scenario<String> {
    Scenario::new("blind6b::arc_get_mut_rwlock", || {
        let counts = Arc::new(new_inner());
        let data = Arc::new(RwLock::new((0u32, 0u32)).named("data"));
        let (b, d) = (Arc::clone(&counts), Arc::clone(&data));
        let bob = thread::Builder::new()
            .name("bob")
            .spawn(move || {
                let upgraded = upgrade(&b);
                b.weak.fetch_sub(1, Release);
                if upgraded {
                    let seen = *d.read().unwrap();
                    b.strong.fetch_sub(1, Release);
                    format!("{seen:?}")
                } else {
                    "gone".to_string()
                }
            })
            .unwrap();
        let unique = get_mut_racy(&counts);
        if unique {
            let mut w = data.write().unwrap();
            w.0 = 1;
            w.1 = 1;
        }
        let seen = bob.join().unwrap();
        format!("get_mut={} bob saw {seen}", if unique { "Some" } else { "None" })
    })
    .expect("bob never sees half of main's write", |o: &String| untorn(o))
}

#[test]
fn arc_get_mut_racy_loom() {
    common::explore(&racy(), &common::loom()).assert_racy(Some(FailureKind::DataRace));
}

#[test]
fn arc_get_mut_racy_shuttle() {
    common::explore(&racy(), &common::shuttle()).assert_racy(Some(FailureKind::ForbiddenOutcome));
}

#[test]
fn arc_get_mut_locked_weak_holds_loom() {
    common::explore(&fixed(), &common::loom()).assert_holds();
}

#[test]
fn arc_get_mut_locked_weak_holds_shuttle() {
    common::explore(&fixed(), &common::shuttle()).assert_holds();
}

#[test]
fn arc_get_mut_rwlock_holds_loom() {
    common::explore(&rwlock(), &common::loom()).assert_holds();
}

#[test]
fn arc_get_mut_rwlock_holds_shuttle() {
    common::explore(&rwlock(), &common::shuttle()).assert_holds();
}
