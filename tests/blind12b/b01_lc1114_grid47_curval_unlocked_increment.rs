//! LeetCode 1114 "Print in Order", a C++ solution posted on grid47's
//! solution blog: `grid47/list`, `content/posts/leetcode_1114.md`
//! (<https://grid47.xyz/posts/leetcode_1114>). `first()` prints and does
//! `curVal++` under `mtx`; `second()` spins `lock; while (curVal != 2)
//! { unlock; lock; } unlock;` and then, **after unlocking**, runs
//! `printSecond(); curVal++;`; `third()` does the same waiting for 3.
//!
//! The bug: `second()`'s `curVal++` (and `third()`'s) touches the plain
//! `int` outside the mutex that every reader holds, so it races with
//! `third()`'s read of `curVal` under the lock: a data race (undefined
//! behaviour in C++). The printed order itself comes out right on a
//! sequentially consistent machine.
//!
//! Transcription: `mtx` is a `Mutex<()>` and `curVal` an `UnsafeCell<i32>`
//! (the plain `int`); the spin adds `thread::yield_now()` between unlock and
//! lock so the model checkers can make progress; `printX()` appends to a
//! mutex-protected output log (LeetCode's harness), so the only unprotected
//! object is `curVal`.
//!
//! # Teacher marks (written before the first run)
//! - loom: `second`'s `write curVal <- 3` (the `curVal++` after its
//!   `unlock mtx`) and `third`'s `read curVal` inside its locked loop test:
//!   `data_race`: "races with step N: second writes curVal after releasing
//!   mtx, so nothing orders the write before third's locked read; do the
//!   increment before `mtx.unlock()`". Either end counts strict (1 mark).
//! - shuttle: does not check cells and the output is right: it cannot see
//!   this bug (0 marks); it should report that every schedule held.
//!
//! No mark on the polling iterations (`read curVal -> 1` in a loop), on
//! `first`'s locked increment, on the output log, spawns or joins.
//! Expected verdict: loom `data race`; shuttle holds.

use racelab::explore::{FailureKind, Scenario};
use racelab::sync::cell::UnsafeCell;
use racelab::sync::{thread, Arc, Mutex, Semaphore};

use super::common;

struct Foo {
    mtx: Mutex<()>,
    cur_val: UnsafeCell<i32>,
    out: Mutex<String>,
}

// SAFETY: `cur_val` is meant to be reached under `mtx`; the puzzle is that
// the posted code breaks that rule, and loom checks every access.
unsafe impl Sync for Foo {}

impl Foo {
    fn new() -> Self {
        Foo {
            mtx: Mutex::new(()).named("mtx"),
            cur_val: UnsafeCell::new(1).named("curVal"),
            out: Mutex::new(String::new()).named("output"),
        }
    }
    fn print(&self, word: &str) {
        self.out.lock().unwrap().push_str(word);
    }
    fn cur(&self) -> i32 {
        self.cur_val.with(|p| unsafe { *p })
    }
    fn incr(&self) {
        let v = self.cur();
        self.cur_val.with_mut(|p| unsafe { *p = v + 1 });
    }
    fn first(&self) {
        let g = self.mtx.lock().unwrap();
        self.print("first");
        self.incr();
        drop(g);
    }
    /// `second()` and `third()` of the post: wait for `want`, unlock,
    /// print, then increment without the lock.
    fn later(&self, want: i32, word: &str, fixed: bool) {
        let mut g = self.mtx.lock().unwrap();
        while self.cur() != want {
            drop(g);
            thread::yield_now();
            g = self.mtx.lock().unwrap();
        }
        if fixed {
            self.print(word);
            self.incr();
            drop(g);
        } else {
            drop(g);
            self.print(word);
            self.incr();
        }
    }
}

fn program(name: &str, fixed: bool) -> Scenario<String> {
    Scenario::new(name, move || {
        let shared = Arc::new(Foo::new());
        let f = Arc::clone(&shared);
        let a = thread::Builder::new().name("first").spawn(move || f.first()).unwrap();
        let f = Arc::clone(&shared);
        let b = thread::Builder::new()
            .name("second")
            .spawn(move || f.later(2, "second", fixed))
            .unwrap();
        let f = Arc::clone(&shared);
        let c = thread::Builder::new()
            .name("third")
            .spawn(move || f.later(3, "third", fixed))
            .unwrap();
        a.join().unwrap();
        b.join().unwrap();
        c.join().unwrap();
        let out = shared.out.lock().unwrap().clone();
        out
    })
    .expect_only("firstsecondthird".to_string())
}

/// Control 2: two gates (semaphores with no permit), the textbook answer.
fn gates() -> Scenario<String> {
    Scenario::new("blind12b::lc1114_gates", || {
        let gate2 = Arc::new(Semaphore::new(0).named("gate2"));
        let gate3 = Arc::new(Semaphore::new(0).named("gate3"));
        let out = Arc::new(UnsafeCellOut(UnsafeCell::new(String::new()).named("output")));
        let (g2, o) = (Arc::clone(&gate2), Arc::clone(&out));
        let a = thread::Builder::new()
            .name("first")
            .spawn(move || {
                o.push("first");
                g2.release();
            })
            .unwrap();
        let (g2, g3, o) = (Arc::clone(&gate2), Arc::clone(&gate3), Arc::clone(&out));
        let b = thread::Builder::new()
            .name("second")
            .spawn(move || {
                g2.acquire();
                o.push("second");
                g3.release();
            })
            .unwrap();
        let (g3, o) = (Arc::clone(&gate3), Arc::clone(&out));
        let c = thread::Builder::new()
            .name("third")
            .spawn(move || {
                g3.acquire();
                o.push("third");
            })
            .unwrap();
        a.join().unwrap();
        b.join().unwrap();
        c.join().unwrap();
        out.0.with(|p| unsafe { (*p).clone() })
    })
    .expect_only("firstsecondthird".to_string())
}

/// The output as a plain buffer: the gates alone must order its writes.
struct UnsafeCellOut(UnsafeCell<String>);
// SAFETY: each write is ordered by the semaphores (loom checks it).
unsafe impl Sync for UnsafeCellOut {}
impl UnsafeCellOut {
    fn push(&self, w: &str) {
        self.0.with_mut(|p| unsafe { (*p).push_str(w) });
    }
}

#[test]
fn racy_loom() {
    let r = common::explore(&program("blind12b::lc1114_grid47", false), &common::loom());
    r.assert_racy(Some(FailureKind::DataRace));
}

#[test]
fn racy_shuttle_cannot_see() {
    let r = common::explore(&program("blind12b::lc1114_grid47", false), &common::shuttle());
    r.assert_holds();
}

#[test]
fn fixes_hold() {
    for s in [program("blind12b::lc1114_incr_under_lock", true), gates()] {
        common::explore(&s, &common::loom()).assert_holds();
        common::explore(&s, &common::shuttle()).assert_holds();
    }
}
