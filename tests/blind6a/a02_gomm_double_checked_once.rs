//! a02: double-checked `once.Do` with a racy `done` flag.
//!
//! **Source.** "The Go Memory Model" (<https://go.dev/ref/mem>), section
//! "Incorrect synchronization", the double-checked locking example:
//!
//! ```go
//! var a string
//! var done bool
//!
//! func setup() {
//!     a = "hello, world"
//!     done = true
//! }
//!
//! func doprint() {
//!     if !done {
//!         once.Do(setup)
//!     }
//!     print(a)
//! }
//!
//! func twoprint() {
//!     go doprint()
//!     go doprint()
//! }
//! ```
//!
//! "there is no guarantee that, in `doprint`, observing the write to `done`
//! implies observing the write to `a`. This version can (incorrectly) print
//! an empty string instead of "hello, world"."
//!
//! **Transcription.** `a` is a plain variable: a
//! `racelab::sync::cell::UnsafeCell<&str>` named `a`. `done` is a plain bool
//! read without synchronisation: the closest legal Rust is an `AtomicBool`
//! with `Relaxed` loads and stores, named `done`. `once` is a
//! `racelab::sync::Once`. `twoprint` spawns two threads `p1`, `p2`, and joins
//! them (the Go program would let `main` return; the join only lets us see
//! what each printed). The outcome is what each thread printed.
//!
//! **The bug.** A weak-memory bug: a thread that reads `done == true` through
//! the fast path skips `once.Do`, so nothing synchronises it with the thread
//! that ran `setup`; its read of `a` races with `setup`'s write of `a` (it may
//! see "" under the memory model).
//!
//! **Teacher marks** (written before the first run):
//! - loom: the bad execution is: p1 loads `done -> false`, runs `once`
//!   (`setup`: write `a`, `store done <- true` Relaxed); p2 loads
//!   `done -> true` (Relaxed) and reads `a`. Two marks:
//!   1. p2's `load done -> true` (Relaxed), kind `no_sync`: "this Relaxed load
//!      reads p1's `done = true` but does not synchronise with it, so `setup`'s
//!      write of `a` is not visible to p2".
//!   2. p2's `read a`, kind `data_race`: "races with p1's write of `a` (in
//!      `setup`)".
//! - shuttle: treats every atomic as `SeqCst` and does not check plain
//!   accesses, so it cannot see this bug; the expected verdict is "holds",
//!   and there is no mark to grade (0 teacher marks).
//! - No mark on the `once` lock/condvar steps, on p1's own read of `a`
//!   (ordered after its own write), or on the `done` store itself (the bug is
//!   the reader's skipped synchronisation; a mark there saying "Relaxed store
//!   does not release" would also be accepted as the other end).
//!
//! **Controls.** (1) `done` stored with `Release` and loaded with `Acquire`
//! (the fast path then synchronises). (2) No hand-rolled fast path at all: a
//! `OnceLock<&str>` whose `get_or_init` is the only way to `a`.

use racelab::explore::{FailureKind, Scenario};
use racelab::sync::atomic::{AtomicBool, Ordering};
use racelab::sync::cell::UnsafeCell;
use racelab::sync::{thread, Arc, Once, OnceLock};

use crate::common;

struct Globals {
    a: UnsafeCell<&'static str>,
    done: AtomicBool,
    once: Once,
}
// SAFETY: this is the racy program under test; loom checks every access.
unsafe impl Sync for Globals {}

fn globals() -> Arc<Globals> {
    Arc::new(Globals {
        a: UnsafeCell::new("").named("a"),
        done: AtomicBool::new(false).named("done"),
        once: Once::new().named("once"),
    })
}

fn setup(g: &Globals, store: Ordering) {
    g.a.with_mut(|p| unsafe { *p = "hello, world" });
    g.done.store(true, store);
}

fn doprint(g: &Globals, load: Ordering, store: Ordering) -> &'static str {
    if !g.done.load(load) {
        g.once.call_once(|| setup(g, store));
    }
    g.a.with(|p| unsafe { *p })
}

fn twoprint(load: Ordering, store: Ordering) -> String {
    let g = globals();
    let handles: Vec<_> = ["p1", "p2"]
        .into_iter()
        .map(|name| {
            let g = Arc::clone(&g);
            thread::Builder::new()
                .name(name)
                .spawn(move || doprint(&g, load, store))
                .unwrap()
        })
        .collect();
    let printed: Vec<_> = handles
        .into_iter()
        .map(|h| format!("{:?}", h.join().unwrap()))
        .collect();
    printed.join(" ")
}

fn both_hello(o: &String) -> racelab::explore::Grade {
    if o == "\"hello, world\" \"hello, world\"" {
        racelab::explore::Grade::Acceptable
    } else {
        racelab::explore::Grade::Forbidden
    }
}

fn racy() -> Scenario<String> {
    Scenario::new("blind6a::gomm_double_checked_once", || {
        twoprint(Ordering::Relaxed, Ordering::Relaxed)
    })
    .expect("both print \"hello, world\"", both_hello)
}

fn fixed_acquire_release() -> Scenario<String> {
    Scenario::new("blind6a::gomm_double_checked_once_acqrel", || {
        twoprint(Ordering::Acquire, Ordering::Release)
    })
    .expect("both print \"hello, world\"", both_hello)
}

fn fixed_once_lock() -> Scenario<String> {
    Scenario::new("blind6a::gomm_once_lock", || {
        let a: Arc<OnceLock<&'static str>> = Arc::new(OnceLock::new().named("a"));
        let handles: Vec<_> = ["p1", "p2"]
            .into_iter()
            .map(|name| {
                let a = Arc::clone(&a);
                thread::Builder::new()
                    .name(name)
                    .spawn(move || *a.get_or_init(|| "hello, world"))
                    .unwrap()
            })
            .collect();
        let printed: Vec<_> = handles
            .into_iter()
            .map(|h| format!("{:?}", h.join().unwrap()))
            .collect();
        printed.join(" ")
    })
    .expect("both print \"hello, world\"", both_hello)
}

#[test]
fn racy_loom() {
    let report = common::explore(&racy(), &common::loom());
    report.assert_racy(Some(FailureKind::DataRace));
}

/// shuttle treats every atomic as SeqCst and does not check plain accesses:
/// it cannot see this bug, and the right verdict for it is "holds".
#[test]
fn racy_shuttle_cannot_see_it() {
    let report = common::explore(&racy(), &common::shuttle());
    report.assert_holds();
}

#[test]
fn fixed_acquire_release_holds() {
    common::explore(&fixed_acquire_release(), &common::loom()).assert_holds();
    common::explore(&fixed_acquire_release(), &common::shuttle()).assert_holds();
}

#[test]
fn fixed_once_lock_holds() {
    common::explore(&fixed_once_lock(), &common::loom()).assert_holds();
    common::explore(&fixed_once_lock(), &common::shuttle()).assert_holds();
}
