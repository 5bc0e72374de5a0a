//! LeetCode 1115 "Print FooBar Alternately", the "natural first sketch" that
//! leetsolve's write-up shows before explaining why it fails
//! (<https://leetsolve.digitalpress.blog/1115-print-foobar-alternately/>,
//! section "First Intuition"): each loop iteration takes `unique_lock l(m)`
//! and does `if (fooTurn) { printFoo(); fooTurn = false; }` (bar: `if
//! (!fooTurn) { printBar(); fooTurn = true; }`). "The if branch does not
//! wait. If foo gets scheduled and fooTurn happens to be false at that
//! moment, it just skips the iteration entirely. The loop counter still
//! advances", so the output is shorter than `n` times "foobar".
//!
//! Transcription: `m` guards `fooTurn` and the printing (`Mutex<Turn>`),
//! `n = 2`; the outcome is the printed text, which must be "foobarfoobar".
//!
//! # Teacher marks (written before the first run)
//! For the bad execution (say `foo`'s second iteration locks `m` while
//! `fooTurn == false`, prints nothing and unlocks):
//! - that iteration's `lock m -> fooTurn: false` (the critical section that
//!   only looked): `order_violation`: "this iteration looked before bar's
//!   `fooTurn = true` it needed and was skipped; nothing makes foo wait for
//!   its turn (the `if` should be a wait)". Mark on its `unlock` too is
//!   fine. A `stale_check` naming the same look and bar's write is accepted
//!   as lenient. 1 mark per backend.
//!
//! No mark on the iterations that did print (they are right), on bar's
//! iterations unless one of them is the skipped one, spawns or joins.
//! Expected verdict: `forbidden outcome` on both backends.

use racelab::explore::{FailureKind, Scenario};
use racelab::sync::{thread, Arc, Condvar, Mutex, Semaphore};

use super::common;

const N: usize = 2;

#[derive(Debug)]
struct Turn {
    foo_turn: bool,
    out: String,
}

fn racy() -> Scenario<String> {
    Scenario::new("blind12b::lc1115_if_skips", || {
        let m = Arc::new(
            Mutex::new(Turn {
                foo_turn: true,
                out: String::new(),
            })
            .named("m"),
        );
        let m1 = Arc::clone(&m);
        let t_foo = thread::Builder::new()
            .name("foo")
            .spawn(move || {
                for _ in 0..N {
                    let mut l = m1.lock().unwrap();
                    if l.foo_turn {
                        l.out.push_str("foo");
                        l.foo_turn = false;
                    }
                }
            })
            .unwrap();
        let m2 = Arc::clone(&m);
        let t_bar = thread::Builder::new()
            .name("bar")
            .spawn(move || {
                for _ in 0..N {
                    let mut l = m2.lock().unwrap();
                    if !l.foo_turn {
                        l.out.push_str("bar");
                        l.foo_turn = true;
                    }
                }
            })
            .unwrap();
        t_foo.join().unwrap();
        t_bar.join().unwrap();
        let out = m.lock().unwrap().out.clone();
        out
    })
    .expect_only("foobarfoobar".to_string())
}

/// Control 1: the write-up's fix, a condition variable the `if` becomes.
fn condvar_fix() -> Scenario<String> {
    Scenario::new("blind12b::lc1115_condvar", || {
        let m = Arc::new(
            Mutex::new(Turn {
                foo_turn: true,
                out: String::new(),
            })
            .named("m"),
        );
        let cv = Arc::new(Condvar::new().named("cv"));
        let spawn = |name: &str, mine: bool, word: &'static str| {
            let (m, cv) = (Arc::clone(&m), Arc::clone(&cv));
            thread::Builder::new()
                .name(name)
                .spawn(move || {
                    for _ in 0..N {
                        let l = m.lock().unwrap();
                        let mut l = cv.wait_while(l, |t| t.foo_turn != mine).unwrap();
                        l.out.push_str(word);
                        l.foo_turn = !mine;
                        drop(l);
                        cv.notify_all();
                    }
                })
                .unwrap()
        };
        let t_foo = spawn("foo", true, "foo");
        let t_bar = spawn("bar", false, "bar");
        t_foo.join().unwrap();
        t_bar.join().unwrap();
        let out = m.lock().unwrap().out.clone();
        out
    })
    .expect_only("foobarfoobar".to_string())
}

/// Control 2: two semaphores handing the turn back and forth.
fn semaphore_fix() -> Scenario<String> {
    Scenario::new("blind12b::lc1115_semaphores", || {
        let out = Arc::new(Mutex::new(String::new()).named("output"));
        let foo_sem = Arc::new(Semaphore::new(1).named("foo_sem"));
        let bar_sem = Arc::new(Semaphore::new(0).named("bar_sem"));
        let (o, fs, bs) = (Arc::clone(&out), Arc::clone(&foo_sem), Arc::clone(&bar_sem));
        let t_foo = thread::Builder::new()
            .name("foo")
            .spawn(move || {
                for _ in 0..N {
                    fs.acquire();
                    o.lock().unwrap().push_str("foo");
                    bs.release();
                }
            })
            .unwrap();
        let (o, fs, bs) = (Arc::clone(&out), Arc::clone(&foo_sem), Arc::clone(&bar_sem));
        let t_bar = thread::Builder::new()
            .name("bar")
            .spawn(move || {
                for _ in 0..N {
                    bs.acquire();
                    o.lock().unwrap().push_str("bar");
                    fs.release();
                }
            })
            .unwrap();
        t_foo.join().unwrap();
        t_bar.join().unwrap();
        let s = out.lock().unwrap().clone();
        s
    })
    .expect_only("foobarfoobar".to_string())
}

#[test]
fn racy_loom() {
    let r = common::explore(&racy(), &common::loom());
    r.assert_racy(Some(FailureKind::ForbiddenOutcome));
}

#[test]
fn racy_shuttle() {
    let r = common::explore(&racy(), &common::shuttle());
    r.assert_racy(Some(FailureKind::ForbiddenOutcome));
}

#[test]
fn fixes_hold() {
    for s in [condvar_fix(), semaphore_fix()] {
        common::explore(&s, &common::loom()).assert_holds();
        common::explore(&s, &common::shuttle()).assert_holds();
    }
}
