//! UW CSE 332 (Data Abstractions), Dan Grossman's notes "A Sophomoric
//! Introduction to Shared-Memory Parallelism and Concurrency", section
//! "Races: bad interleavings" (the stack example;
//! <https://homes.cs.washington.edu/~djg/teachingMaterials/spac/sophomoricParallelismAndConcurrency.pdf>,
//! also reused in UBC CPEN 221's notes "Bad Interleavings and Data Races"):
//!
//! ```java
//! class C {
//!   static <E> E myPeekHelperWrong(Stack<E> s) {
//!     E ans = s.pop();
//!     s.push(ans);
//!     return ans;
//!   }
//! }
//! ```
//!
//! `push`, `pop` and `isEmpty` are each `synchronized`, so there is no data
//! race, yet "if a stack is not empty, then isEmpty should return false.
//! Suppose two threads share a stack stk that has one element in it. If one
//! thread calls isEmpty and the other calls myPeekHelperWrong, the first
//! thread can get the wrong result": thread 2 pops, thread 1 sees an empty
//! stack, thread 2 pushes the element back.
//!
//! Transcription: the stack is a `Mutex<Vec<u32>>` whose `push`, `pop` and
//! `is_empty` each take the lock once (Java's `synchronized` methods);
//! `peek_helper_wrong` is a helper outside the class. The stack starts
//! holding `[7]`; `peeker` peeks, `checker` asks `is_empty`. Outcome: what
//! `is_empty` answered; only `false` is right.
//!
//! # Teacher marks (written before the first run)
//! Both backends, same execution: `peeker`'s pop (`lock stack -> [7]`,
//! `unlock stack <- []`), `checker`'s `lock stack -> []`, `peeker`'s push
//! back (`unlock stack <- [7]`).
//! - `checker`'s `lock stack` that found `[]` (its `isEmpty`), kind
//!   `atomicity_violation` (or `order_violation` "lands between"): "reads
//!   the stack between peeker's pop (step N) and its push back (step M),
//!   two steps the peek meant as one: the element is only borrowed". A mark
//!   on `peeker`'s pop or push that names `checker`'s read is lenient.
//!
//! No mark on `peeker`'s push back as a lost update (it writes back what
//! it popped, over nothing another thread changed), on spawns, joins or
//! main's read of the answers.
//!
//! Expected verdict: `forbidden outcome` on both backends.

use racelab::explore::{FailureKind, Scenario};
use racelab::sync::{thread, Arc, Mutex, RwLock};

use super::common;

/// A stack whose every method is `synchronized`.
struct Stack {
    items: Mutex<Vec<u32>>,
}

impl Stack {
    fn new(items: Vec<u32>) -> Self {
        Stack {
            items: Mutex::new(items).named("stack"),
        }
    }

    fn push(&self, x: u32) {
        self.items.lock().unwrap().push(x);
    }

    fn pop(&self) -> u32 {
        self.items.lock().unwrap().pop().expect("StackEmptyException")
    }

    fn is_empty(&self) -> bool {
        self.items.lock().unwrap().is_empty()
    }
}

/// `C.myPeekHelperWrong`: a peek built from two synchronized calls.
fn peek_helper_wrong(s: &Stack) -> u32 {
    let ans = s.pop();
    s.push(ans);
    ans
}

fn answer(empty: bool, peeked: u32) -> String {
    format!("isEmpty = {empty}, peek = {peeked}")
}

fn racy() -> Scenario<String> {
    Scenario::new("blind11a::cse332_peek_helper_wrong", || {
        let stk = Arc::new(Stack::new(vec![7]));
        let s1 = Arc::clone(&stk);
        let checker = thread::Builder::new()
            .name("checker")
            .spawn(move || s1.is_empty())
            .unwrap();
        let s2 = Arc::clone(&stk);
        let peeker = thread::Builder::new()
            .name("peeker")
            .spawn(move || peek_helper_wrong(&s2))
            .unwrap();
        let empty = checker.join().unwrap();
        let peeked = peeker.join().unwrap();
        answer(empty, peeked)
    })
    .expect_only(answer(false, 7))
}

/// Control 1: the notes' fix: the helper holds the stack's lock across the
/// pop and the push (`synchronized (s) { ... }`), here one guard.
fn fixed_one_lock() -> Scenario<String> {
    Scenario::new("blind11a::cse332_peek_one_lock", || {
        let stk = Arc::new(Stack::new(vec![7]));
        let s1 = Arc::clone(&stk);
        let checker = thread::Builder::new()
            .name("checker")
            .spawn(move || s1.is_empty())
            .unwrap();
        let s2 = Arc::clone(&stk);
        let peeker = thread::Builder::new()
            .name("peeker")
            .spawn(move || {
                let mut items = s2.items.lock().unwrap();
                let ans = items.pop().expect("StackEmptyException");
                items.push(ans);
                ans
            })
            .unwrap();
        let empty = checker.join().unwrap();
        let peeked = peeker.join().unwrap();
        answer(empty, peeked)
    })
    .expect_only(answer(false, 7))
}

/// Control 2: the notes' "correct implementation" of peek, which only reads
/// the top; here on a reader-writer lock, so peek and isEmpty share it.
fn fixed_rwlock_read_peek() -> Scenario<String> {
    Scenario::new("blind11a::cse332_peek_rwlock", || {
        let stk = Arc::new(RwLock::new(vec![7u32]).named("stack"));
        let s1 = Arc::clone(&stk);
        let checker = thread::Builder::new()
            .name("checker")
            .spawn(move || s1.read().unwrap().is_empty())
            .unwrap();
        let s2 = Arc::clone(&stk);
        let peeker = thread::Builder::new()
            .name("peeker")
            .spawn(move || *s2.read().unwrap().last().expect("StackEmptyException"))
            .unwrap();
        let empty = checker.join().unwrap();
        let peeked = peeker.join().unwrap();
        answer(empty, peeked)
    })
    .expect_only(answer(false, 7))
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
    for s in [fixed_one_lock(), fixed_rwlock_read_peek()] {
        common::explore(&s, &common::loom()).assert_holds();
        common::explore(&s, &common::shuttle()).assert_holds();
    }
}
