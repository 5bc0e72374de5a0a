//! LeetCode 1195 "Fizz Buzz Multithreaded", the C++ solution posted on
//! grid47's solution blog: `grid47/list`, `content/posts/leetcode_1195.md`
//! (<https://grid47.xyz/posts/leetcode_1195>). Four mutexes `f, b, fz, num`
//! are used as batons (the constructor locks `f, b, fz`; a thread unlocks
//! the next thread's mutex). Each thread runs `while (i <= n) { X.lock();
//! if (i <= n) printX(); i++; <unlock the mutex of whoever owns i>; }`,
//! and when `i > n` the thread holding the baton unlocks all four.
//!
//! The bug: the loop test `while (i <= n)` reads the plain `int i` without
//! holding any baton, while the baton holder writes it (a data race). And
//! it is worse than undefined behaviour on paper: a thread whose baton was
//! just passed (number made `i` 3 and unlocked `f`) may read `i == 3` at
//! its loop test and leave without taking `f`; then nobody runs the
//! "unlock all four" branch, and a thread already blocked in `b.lock()`
//! waits for ever.
//!
//! Transcription: a `std::mutex` unlocked by another thread is a binary
//! semaphore, so the batons are `Semaphore`s (`num` starts with one
//! permit, the others with none); `i` is an `UnsafeCell<i32>` (the plain
//! `int`); output goes to a `Mutex<String>`. `n = 2`, and to stay within
//! four threads the `fizzbuzz` thread is left out (for `n = 2` it behaves
//! exactly like `buzz`; its baton is still released by the broadcast).
//!
//! # Teacher marks (written before the first run)
//! - loom (checks cells): a loop test's `read i` in `fizz` or `buzz` and
//!   `number`'s `write i` (its `i++`): `data_race`: "races with step N: the
//!   loop test reads i without holding a baton". Either end strict. 1 mark.
//! - shuttle (no cell checks; it should find the hang): `buzz`'s `acquire
//!   b` that never returns: `deadlock`: "waits for b, which no thread will
//!   release"; and `fizz`'s loop-test `read i -> 3`, after which it left
//!   without taking `f`: the cause, any kind whose text says the read made
//!   fizz skip the turn that would have released everyone (order_violation
//!   or stale_check accepted). 2 marks.
//!
//! No mark on `number`'s own prints, its baton releases, spawns or joins.
//! Expected verdict: loom `data race`; shuttle `deadlock`.

use racelab::explore::{FailureKind, Scenario};
use racelab::sync::cell::UnsafeCell;
use racelab::sync::{thread, Arc, Condvar, Mutex, Semaphore};

use super::common;

const N: i32 = 2;

struct FizzBuzz {
    i: UnsafeCell<i32>,
    f: Semaphore,
    b: Semaphore,
    fz: Semaphore,
    num: Semaphore,
    out: Mutex<String>,
}

// SAFETY: `i` is meant to be reached only by the baton holder; the puzzle
// is that the loop test breaks that rule, and loom checks every access.
unsafe impl Sync for FizzBuzz {}

#[derive(Clone, Copy, PartialEq, Debug)]
enum Who {
    Fizz,
    Buzz,
    Number,
}

impl FizzBuzz {
    fn i(&self) -> i32 {
        self.i.with(|p| unsafe { *p })
    }
    fn run(&self, who: Who) {
        let me = match who {
            Who::Fizz => &self.f,
            Who::Buzz => &self.b,
            Who::Number => &self.num,
        };
        while self.i() <= N {
            me.acquire();
            let v = self.i();
            if v <= N {
                let word = match who {
                    Who::Fizz => "fizz ".to_string(),
                    Who::Buzz => "buzz ".to_string(),
                    Who::Number => format!("{v} "),
                };
                self.out.lock().unwrap().push_str(&word);
            }
            self.i.with_mut(|p| unsafe { *p = v + 1 });
            let v = self.i();
            if v % 3 == 0 && v % 5 == 0 {
                self.fz.release();
            } else if v % 3 == 0 {
                self.f.release();
            } else if v % 5 == 0 {
                self.b.release();
            } else if v <= N {
                self.num.release();
            } else {
                self.fz.release();
                self.f.release();
                self.b.release();
                self.num.release();
            }
        }
    }
}

fn racy() -> Scenario<String> {
    Scenario::new("blind12b::lc1195_grid47_batons", || {
        let fb = Arc::new(FizzBuzz {
            i: UnsafeCell::new(1).named("i"),
            f: Semaphore::new(0).named("f"),
            b: Semaphore::new(0).named("b"),
            fz: Semaphore::new(0).named("fz"),
            num: Semaphore::new(1).named("num"),
            out: Mutex::new(String::new()).named("output"),
        });
        let handles: Vec<_> = [("fizz", Who::Fizz), ("buzz", Who::Buzz), ("number", Who::Number)]
            .into_iter()
            .map(|(name, who)| {
                let fb = Arc::clone(&fb);
                thread::Builder::new().name(name).spawn(move || fb.run(who)).unwrap()
            })
            .collect();
        for h in handles {
            h.join().unwrap();
        }
        let s = fb.out.lock().unwrap().clone();
        s
    })
    .expect_only("1 2 ".to_string())
}

/// Control: the usual answer, one counter under a mutex and a condvar with
/// `notify_all`; every thread checks "my number, or past n" under the lock.
fn condvar() -> Scenario<String> {
    Scenario::new("blind12b::lc1195_condvar", || {
        let state = Arc::new(Mutex::new((1i32, String::new())).named("cur"));
        let cv = Arc::new(Condvar::new().named("cv"));
        let handles: Vec<_> = [("fizz", Who::Fizz), ("buzz", Who::Buzz), ("number", Who::Number)]
            .into_iter()
            .map(|(name, who)| {
                let (state, cv) = (Arc::clone(&state), Arc::clone(&cv));
                thread::Builder::new()
                    .name(name)
                    .spawn(move || loop {
                        let owner = |v: i32| {
                            if v % 3 == 0 {
                                Who::Fizz
                            } else if v % 5 == 0 {
                                Who::Buzz
                            } else {
                                Who::Number
                            }
                        };
                        let g = state.lock().unwrap();
                        let mut g = cv.wait_while(g, |s| s.0 <= N && owner(s.0) != who).unwrap();
                        if g.0 > N {
                            return;
                        }
                        let word = match who {
                            Who::Fizz => "fizz ".to_string(),
                            Who::Buzz => "buzz ".to_string(),
                            Who::Number => format!("{} ", g.0),
                        };
                        g.1.push_str(&word);
                        g.0 += 1;
                        drop(g);
                        cv.notify_all();
                    })
                    .unwrap()
            })
            .collect();
        for h in handles {
            h.join().unwrap();
        }
        let s = state.lock().unwrap().1.clone();
        s
    })
    .expect_only("1 2 ".to_string())
}

#[test]
fn racy_loom() {
    let r = common::explore(&racy(), &common::loom());
    r.assert_racy(Some(FailureKind::DataRace));
}

#[test]
fn racy_shuttle() {
    let r = common::explore(&racy(), &common::shuttle());
    r.assert_racy(Some(FailureKind::Deadlock));
}

#[test]
fn fix_holds() {
    let s = condvar();
    common::explore(&s, &common::loom()).assert_holds();
    common::explore(&s, &common::shuttle()).assert_holds();
}
