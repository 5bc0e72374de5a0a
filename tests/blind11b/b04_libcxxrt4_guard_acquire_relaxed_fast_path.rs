//! # libcxxrt#4: "`__cxa_guard_acquire` should use atomic acquire ordering for the fast path"
//!
//! **Source.** <https://github.com/libcxxrt/libcxxrt/issues/4> (Fangrui Song,
//! 2020; fixed by libcxxrt#11, "Thanks, see #11"). libcxxrt is the C++ ABI
//! runtime that FreeBSD ships under libc++; `__cxa_guard_acquire` is what the
//! compiler calls to run a function-local `static` initialiser once (the
//! runtime half of a "magic static", C++'s built-in `call_once`). The fast
//! path was:
//!
//! ```c
//! // Not an atomic read, doesn't establish a happens-before relationship, but
//! // if one is already established and we end up seeing an initialised state
//! // then it's a fast path, otherwise we'll do something more expensive than
//! // this test anyway...
//! if (INITIALISED == *INIT_PART(guard_object))
//!         return 0;
//! ```
//!
//! and the issue: "an non-atomic read does not establish a happens-before
//! relationship. However, the intention of the standard is that such a
//! relationship should be established ... Both libstdc++ libsupc++ and
//! libc++abi use atomic acquire ordering."
//!
//! **The program.** Threads `t1` and `t2` both call `get()` on one
//! function-local static: the fast path reads the guard byte with a
//! `Relaxed` load (the closest Rust has to the plain read); the slow path
//! takes the guard's lock, tests again, runs the constructor (writes `obj`, an
//! `UnsafeCell`) and marks the guard initialised with a `Release` store
//! (`__cxa_guard_release`); every caller then reads `obj`.
//!
//! **The bug.** A weak-memory publication bug: `t2` can see the guard
//! initialised on the fast path and read `obj` with nothing ordering that
//! read after `t1`'s constructor: a data race (in C++, it may read the object
//! half constructed). Only loom sees it; shuttle runs atomics as `SeqCst` and
//! does not check cells for races, so it cannot see the bug at all.
//!
//! **Teacher marks** (loom, written before the first run):
//! 1. the fast-path thread's `load guard -> 1` (`Relaxed`): kind `no_sync`:
//!    "this Relaxed load reads the initialising thread's Release store but
//!    does not synchronise with it: the fast path needs Acquire".
//! 2. the same thread's `read obj`: kind `data_race`: "races with the
//!    constructor's `write obj`" (the pair named).
//!
//! Shuttle: no marks (it should hold). No mark belongs on: the slow path's
//! lock, unlock and second guard load (ordered by the lock), the spawns; a
//! mark on the initialising thread's `Release` store or `write obj` naming the
//! same pair is the other end (lenient).
//!
//! **Controls.** (a) The fix (libcxxrt#11): an `Acquire` load on the fast
//! path. (b) A `OnceLock` (`get_or_init`): another primitive.

use racelab::explore::{FailureKind, Scenario};
use racelab::sync::atomic::{AtomicU8, Ordering};
use racelab::sync::cell::UnsafeCell;
use racelab::sync::{thread, Arc, Mutex, OnceLock};

use crate::common;

const INITIALISED: u8 = 1;

/// A function-local `static Obj obj;` with its guard object.
struct StaticLocal {
    guard: AtomicU8,
    guard_lock: Mutex<()>,
    obj: UnsafeCell<u32>,
    fast_path: Ordering,
}

// SAFETY: only as sound as the guard protocol; with a Relaxed fast path it
// is not (that is the bug, and loom checks the cell).
unsafe impl Sync for StaticLocal {}

impl StaticLocal {
    fn get(&self) -> u32 {
        // __cxa_guard_acquire: the fast path.
        if self.guard.load(self.fast_path) == INITIALISED {
            return self.obj.with(|p| unsafe { *p });
        }
        let lock = self.guard_lock.lock().unwrap();
        if self.guard.load(Ordering::Relaxed) != INITIALISED {
            self.obj.with_mut(|p| unsafe { *p = 42 }); // the constructor
            self.guard.store(INITIALISED, Ordering::Release); // __cxa_guard_release
        }
        drop(lock);
        self.obj.with(|p| unsafe { *p })
    }
}

fn guard_scenario(name: &str, fast_path: Ordering) -> Scenario<String> {
    Scenario::new(name, move || {
        let s = Arc::new(StaticLocal {
            guard: AtomicU8::new(0).named("guard"),
            guard_lock: Mutex::new(()).named("guard.lock"),
            obj: UnsafeCell::new(0).named("obj"),
            fast_path,
        });
        let handles: Vec<_> = ["t1", "t2"]
            .into_iter()
            .map(|n| {
                let s = Arc::clone(&s);
                thread::Builder::new().name(n).spawn(move || s.get()).unwrap()
            })
            .collect();
        let seen: Vec<u32> = handles.into_iter().map(|h| h.join().unwrap()).collect();
        format!("t1 saw {}, t2 saw {}", seen[0], seen[1])
    })
    .expect_only("t1 saw 42, t2 saw 42".to_string())
}

fn once_lock() -> Scenario<String> {
    Scenario::new("b04::function_static_once_lock", || {
        let s = Arc::new(OnceLock::<u32>::new().named("obj"));
        let handles: Vec<_> = ["t1", "t2"]
            .into_iter()
            .map(|n| {
                let s = Arc::clone(&s);
                thread::Builder::new()
                    .name(n)
                    .spawn(move || *s.get_or_init(|| 42))
                    .unwrap()
            })
            .collect();
        let seen: Vec<u32> = handles.into_iter().map(|h| h.join().unwrap()).collect();
        format!("t1 saw {}, t2 saw {}", seen[0], seen[1])
    })
    .expect_only("t1 saw 42, t2 saw 42".to_string())
}

#[test]
fn racy_loom() {
    let s = guard_scenario("b04::cxa_guard_relaxed_fast_path", Ordering::Relaxed);
    common::explore(&s, &common::loom()).assert_racy(Some(FailureKind::DataRace));
}

/// shuttle runs atomics as `SeqCst` and checks no cell races: it holds.
#[test]
fn racy_shuttle_cannot_see_it() {
    let s = guard_scenario("b04::cxa_guard_relaxed_fast_path", Ordering::Relaxed);
    common::explore(&s, &common::shuttle()).assert_holds();
}

#[test]
fn control_acquire_loom() {
    let s = guard_scenario("b04::cxa_guard_acquire_fast_path", Ordering::Acquire);
    common::explore(&s, &common::loom()).assert_holds();
}

#[test]
fn control_acquire_shuttle() {
    let s = guard_scenario("b04::cxa_guard_acquire_fast_path", Ordering::Acquire);
    common::explore(&s, &common::shuttle()).assert_holds();
}

#[test]
fn control_once_lock_loom() {
    common::explore(&once_lock(), &common::loom()).assert_holds();
}

#[test]
fn control_once_lock_shuttle() {
    common::explore(&once_lock(), &common::shuttle()).assert_holds();
}
