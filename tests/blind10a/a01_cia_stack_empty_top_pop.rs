//! # A stack whose every call is locked, and still races (Williams §3.2.3)
//!
//! **Source.** Anthony Williams, *C++ Concurrency in Action*, 2nd ed.,
//! §3.2.3 "Spotting race conditions inherent in interfaces", listing 3.3 (the
//! interface of `std::stack`) and the code right after it:
//! `stack<int> s; if(!s.empty()) { int const value=s.top(); s.pop();
//! do_something(value); }`, with the table of the interleaving in which two
//! threads both call `top()` before either calls `pop()`
//! (<https://github.com/anthonywilliams/ccia_code_samples/blob/master/listings/listing_3.3.cpp>).
//!
//! **Program.** A stack `[1, 2]` (2 on top) whose `empty`, `top` and `pop`
//! each take the stack's mutex on their own, as the book's "internally
//! synchronised" stack does. alice and bob each run the book's snippet once:
//! if not empty, read the top, pop, process the value read.
//!
//! **Bug.** Each call is atomic, the sequence is not. Williams: "if the
//! stack has two values, both threads can call top() and get the same
//! value, then both call pop(): one value is processed twice and the other
//! is discarded without ever having been read". Forbidden: anything but
//! {1, 2} processed once each.
//!
//! **Teacher marks** (written before the first run). In the bad execution
//! `alice top -> 2, bob top -> 2, alice pop, bob pop` (or with the names
//! swapped):
//! 1. the *second* `pop` (bob's `lock stack -> [1]` that leaves `[]`):
//!    kind `stale_check` (acts on the check at his `top`, which alice's pop
//!    changed) or `atomicity_violation` (top and pop meant as one, split by
//!    alice's pop). Sentence: "bob pops 1, a value he never read: his top at
//!    step N read 2, which alice popped at step M".
//!
//! No mark belongs on the `empty()` checks (the stack never becomes empty
//! before a pop here, so they are not what goes wrong), on alice's own
//! top/pop, on the spawns or the joins.
//!
//! **Controls.** Williams's fix (listing 3.5, `threadsafe_stack`): one
//! `pop` that checks, reads and removes under one lock; and a channel
//! (`try_recv` takes and removes in one step).

use racelab::explore::{FailureKind, Grade, Scenario};
use racelab::sync::{mpsc, thread, Arc, Mutex};

use crate::common;

/// The book's stack, each member function locked on its own.
struct Stack {
    items: Mutex<Vec<u32>>,
}

impl Stack {
    fn new() -> Self {
        Stack {
            items: Mutex::new(vec![1, 2]).named("stack"),
        }
    }
    fn empty(&self) -> bool {
        self.items.lock().unwrap().is_empty()
    }
    fn top(&self) -> u32 {
        *self.items.lock().unwrap().last().expect("top() of an empty stack")
    }
    fn pop(&self) {
        self.items.lock().unwrap().pop();
    }
    /// listing 3.5's fix: check, read and remove under one lock.
    fn pop_checked(&self) -> Option<u32> {
        self.items.lock().unwrap().pop()
    }
}

/// Both values processed, once each.
fn grade(outcome: &str) -> Grade {
    if outcome.starts_with("processed [1, 2]") {
        Grade::Acceptable
    } else {
        Grade::Forbidden
    }
}

fn outcome(mut got: Vec<u32>, left: Vec<u32>) -> String {
    got.sort();
    format!("processed {got:?}, left {left:?}")
}

fn racy() -> Scenario<String> {
    Scenario::new("cia::stack_empty_top_pop", || {
        let s = Arc::new(Stack::new());
        let worker = |name: &str| {
            let s = Arc::clone(&s);
            thread::Builder::new()
                .name(name)
                .spawn(move || {
                    // The book's snippet, verbatim in spirit.
                    if !s.empty() {
                        let value = s.top();
                        s.pop();
                        Some(value) // do_something(value)
                    } else {
                        None
                    }
                })
                .unwrap()
        };
        let (a, b) = (worker("alice"), worker("bob"));
        let got: Vec<u32> = [a.join().unwrap(), b.join().unwrap()].into_iter().flatten().collect();
        let left = s.items.lock().unwrap().clone();
        outcome(got, left)
    })
    .expect("processed [1, 2], left []", |o: &String| grade(o))
}

fn fixed_one_lock() -> Scenario<String> {
    Scenario::new("cia::stack_pop_under_one_lock", || {
        let s = Arc::new(Stack::new());
        let worker = |name: &str| {
            let s = Arc::clone(&s);
            thread::Builder::new()
                .name(name)
                .spawn(move || s.pop_checked())
                .unwrap()
        };
        let (a, b) = (worker("alice"), worker("bob"));
        let got: Vec<u32> = [a.join().unwrap(), b.join().unwrap()].into_iter().flatten().collect();
        let left = s.items.lock().unwrap().clone();
        outcome(got, left)
    })
    .expect("processed [1, 2], left []", |o: &String| grade(o))
}

fn fixed_channel() -> Scenario<String> {
    Scenario::new("cia::stack_as_channel", || {
        let (tx, rx) = mpsc::channel_named("items");
        tx.send(2u32).unwrap();
        tx.send(1u32).unwrap();
        let rx = Arc::new(Mutex::new_untraced(rx).named("receiver"));
        let worker = |name: &str| {
            let rx = Arc::clone(&rx);
            thread::Builder::new()
                .name(name)
                .spawn(move || rx.lock().unwrap().try_recv().ok())
                .unwrap()
        };
        let (a, b) = (worker("alice"), worker("bob"));
        let got: Vec<u32> = [a.join().unwrap(), b.join().unwrap()].into_iter().flatten().collect();
        let left: Vec<u32> = rx.lock().unwrap().try_iter_all();
        outcome(got, left)
    })
    .expect("processed [1, 2], left []", |o: &String| grade(o))
}

/// Drains what is left without blocking.
trait TryIterAll {
    fn try_iter_all(&self) -> Vec<u32>;
}

impl TryIterAll for mpsc::Receiver<u32> {
    fn try_iter_all(&self) -> Vec<u32> {
        let mut left = Vec::new();
        while let Ok(v) = self.try_recv() {
            left.push(v);
        }
        left
    }
}

#[test]
fn racy_under_loom() {
    let report = common::explore(&racy(), &common::loom());
    report.assert_racy(Some(FailureKind::ForbiddenOutcome));
    let outcome = report.failure.as_ref().and_then(|f| f.outcome.clone()).unwrap();
    assert_eq!(outcome, "processed [2, 2], left []");
}

#[test]
fn racy_under_shuttle() {
    let report = common::explore(&racy(), &common::shuttle());
    report.assert_racy(Some(FailureKind::ForbiddenOutcome));
    let outcome = report.failure.as_ref().and_then(|f| f.outcome.clone()).unwrap();
    assert_eq!(outcome, "processed [2, 2], left []");
}

#[test]
fn one_lock_holds() {
    for explorer in [common::loom(), common::shuttle()] {
        common::explore(&fixed_one_lock(), &explorer).assert_holds();
    }
}

#[test]
fn channel_holds() {
    for explorer in [common::loom(), common::shuttle()] {
        common::explore(&fixed_channel(), &explorer).assert_holds();
    }
}
