//! LeetCode 1115 "Print FooBar Alternately", a C++ solution file on GitHub
//! headed `// Use yield of this thread.` (found through the code index,
//! file id 25149718578; the index does not name its repository): `bool
//! flip` (a plain `bool`, initially `true`); `foo()` runs `while (!flip)
//! std::this_thread::yield(); printFoo(); flip = !flip;`, `bar()` runs
//! `while (flip) yield(); printBar(); flip = !flip;`. The same file's second
//! version uses a mutex and a condition variable.
//!
//! The bug: `flip` is not atomic, so nothing makes foo's `printFoo()` (a
//! write to the harness's output buffer) happen before bar's `printBar()`:
//! the two writes to the output race. (The compiler may also hoist the
//! load out of the loop; a model checker cannot show that part.)
//!
//! Transcription: the plain `bool` becomes an `AtomicBool` used with
//! `Relaxed` (the most a plain variable promises, without undefined
//! behaviour in Rust); `flip = !flip` is a load then a store; the output
//! buffer is an `UnsafeCell<String>`; `n = 1`.
//!
//! # Teacher marks (written before the first run)
//! For the bad execution (bar leaves its loop on `load flip -> false`, then
//! writes the output):
//! - `bar`'s `write output` (or its read of it before the append) and
//!   `foo`'s `write output`: `data_race`: "races with step N: foo's print
//!   and bar's print are not ordered by anything; flip is Relaxed". Either
//!   end strict.
//! - `foo`'s `store flip <- false` (Relaxed) or `bar`'s `load flip ->
//!   false` (Relaxed): `no_sync`: "this Relaxed store/load does not
//!   synchronise, so foo's print is not ordered before bar's; use
//!   Release/Acquire". Either end strict.
//!
//! 2 marks under loom. shuttle runs atomics as SeqCst and checks no cells:
//! it cannot see this (0 marks) and should hold.
//!
//! No mark on the spin iterations (`load flip -> true` polled by bar), on
//! foo's first `load flip -> true`, spawns or joins.
//! Expected verdict: loom `data race`; shuttle holds.

use racelab::explore::{FailureKind, Scenario};
use racelab::sync::atomic::{AtomicBool, Ordering};
use racelab::sync::cell::UnsafeCell;
use racelab::sync::{thread, Arc, Condvar, Mutex};

use super::common;

struct FooBar {
    flip: AtomicBool,
    out: UnsafeCell<String>,
}

// SAFETY: the output is meant to be ordered by `flip`; the puzzle is that
// a Relaxed flag does not order it, and loom checks every access.
unsafe impl Sync for FooBar {}

impl FooBar {
    fn print(&self, w: &str) {
        self.out.with_mut(|p| unsafe { (*p).push_str(w) });
    }
}

fn program(name: &str, load: Ordering, store: Ordering) -> Scenario<String> {
    Scenario::new(name, move || {
        let fb = Arc::new(FooBar {
            flip: AtomicBool::new(true).named("flip"),
            out: UnsafeCell::new(String::new()).named("output"),
        });
        let f = Arc::clone(&fb);
        let t_foo = thread::Builder::new()
            .name("foo")
            .spawn(move || {
                while !f.flip.load(load) {
                    thread::yield_now();
                }
                f.print("foo");
                let v = f.flip.load(load);
                f.flip.store(!v, store);
            })
            .unwrap();
        let b = Arc::clone(&fb);
        let t_bar = thread::Builder::new()
            .name("bar")
            .spawn(move || {
                while b.flip.load(load) {
                    thread::yield_now();
                }
                b.print("bar");
                let v = b.flip.load(load);
                b.flip.store(!v, store);
            })
            .unwrap();
        t_foo.join().unwrap();
        t_bar.join().unwrap();
        fb.out.with(|p| unsafe { (*p).clone() })
    })
    .expect_only("foobar".to_string())
}

/// Control 2: the same file's second version, a mutex and a condvar.
fn condvar_version() -> Scenario<String> {
    Scenario::new("blind12b::lc1115_yield_file_condvar", || {
        let m = Arc::new(Mutex::new((true, String::new())).named("mut"));
        let cv = Arc::new(Condvar::new().named("cv"));
        let spawn = |name: &str, mine: bool, word: &'static str| {
            let (m, cv) = (Arc::clone(&m), Arc::clone(&cv));
            thread::Builder::new()
                .name(name)
                .spawn(move || {
                    let g = m.lock().unwrap();
                    let mut g = cv.wait_while(g, |s| s.0 != mine).unwrap();
                    g.1.push_str(word);
                    g.0 = !g.0;
                    cv.notify_one();
                })
                .unwrap()
        };
        let t_foo = spawn("foo", true, "foo");
        let t_bar = spawn("bar", false, "bar");
        t_foo.join().unwrap();
        t_bar.join().unwrap();
        let s = m.lock().unwrap().1.clone();
        s
    })
    .expect_only("foobar".to_string())
}

#[test]
fn racy_loom() {
    let s = program("blind12b::lc1115_yield_relaxed", Ordering::Relaxed, Ordering::Relaxed);
    let r = common::explore(&s, &common::loom());
    r.assert_racy(Some(FailureKind::DataRace));
}

#[test]
fn racy_shuttle_cannot_see() {
    let s = program("blind12b::lc1115_yield_relaxed", Ordering::Relaxed, Ordering::Relaxed);
    common::explore(&s, &common::shuttle()).assert_holds();
}

#[test]
fn fixes_hold() {
    let acq_rel = program("blind12b::lc1115_yield_acq_rel", Ordering::Acquire, Ordering::Release);
    common::explore(&acq_rel, &common::loom()).assert_holds();
    common::explore(&acq_rel, &common::shuttle()).assert_holds();
    let cv = condvar_version();
    common::explore(&cv, &common::loom()).assert_holds();
    common::explore(&cv, &common::shuttle()).assert_holds();
}
