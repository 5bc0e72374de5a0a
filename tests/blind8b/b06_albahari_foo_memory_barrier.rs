//! # b06: Albahari's `Foo`: `_complete` seen, `_answer` not (no barriers)
//!
//! **Source.** Joseph Albahari, "Threading in C#", Part 4, "Nonblocking
//! Synchronization", section "Memory Barriers and Volatility"
//! (<https://www.albahari.com/threading/part4.aspx#_Memory_Barriers_and_Volatility>):
//!
//! ```csharp
//! class Foo
//! {
//!   int _answer;
//!   bool _complete;
//!
//!   void A()
//!   {
//!     _answer = 123;
//!     _complete = true;
//!   }
//!
//!   void B()
//!   {
//!     if (_complete) Console.WriteLine (_answer);
//!   }
//! }
//! ```
//!
//! "If methods A and B ran concurrently on different threads, might it be
//! possible for B to write "0"? The answer is yes". The fix puts four
//! `Thread.MemoryBarrier()` calls around the accesses; Albahari: barriers 1
//! (between the two writes in `A`) and 4 (between the two reads in `B`)
//! prevent the "0"; barriers 2 and 3 only give freshness. Or `_complete` is
//! made `volatile` (a release store, an acquire load).
//!
//! **Transcription.** C#'s `int` and `bool` fields are read and written
//! whole but with no ordering: `AtomicU32` `answer` and `AtomicBool`
//! `complete`, every access `Relaxed`. Thread `a` runs `A`, thread `b` runs
//! `B` and returns what it printed. Printing 0 is forbidden.
//!
//! **The bad execution (loom).** a `store answer <- 123`, a `store complete
//! <- true`; b `load complete -> true`, b `load answer -> 0`: the older
//! value, which the C11 model allows since nothing orders a's two stores for
//! b. shuttle runs every atomic as `SeqCst` and cannot see it: it must find
//! nothing, and there are no marks to grade there (0 teacher marks).
//!
//! **Teacher marks (loom).**
//! 1. b's `load answer -> 0`, kind `stale_read`: "stale: a wrote 123 at
//!    step N, before the flag b saw; b still reads the initial 0."
//! 2. b's `load complete -> true` (or a's `store complete <- true`), kind
//!    `no_sync`: "this Relaxed load reads a's flag but does not synchronise
//!    with a's store, so a's earlier write of answer need not be visible."
//!
//! No mark on a's `store answer <- 123` as a wrong step (it is right; it
//! may be cited as the write b missed), nor on spawns or joins.
//!
//! **Controls.** (a) Albahari's barriers 1 and 4 only, as
//! `fence(SeqCst)` (`Thread.MemoryBarrier` is a full fence): between a's two
//! stores, and between b's two loads; (b) `volatile bool _complete`: a
//! `Release` store and an `Acquire` load of `complete`.

use racelab::explore::{Grade, Scenario};
use racelab::sync::atomic::{fence, AtomicBool, AtomicU32, Ordering};
use racelab::sync::{thread, Arc};

use crate::common;

#[derive(Clone, Copy)]
enum Fix {
    None,
    Barriers1And4,
    Volatile,
}

fn scenario(name: &str, fix: Fix) -> Scenario<String> {
    Scenario::new(name, move || {
        let answer = Arc::new(AtomicU32::new(0).named("answer"));
        let complete = Arc::new(AtomicBool::new(false).named("complete"));
        let (ans, com) = (Arc::clone(&answer), Arc::clone(&complete));
        let a = thread::Builder::new()
            .name("a")
            .spawn(move || {
                ans.store(123, Ordering::Relaxed);
                match fix {
                    Fix::None => com.store(true, Ordering::Relaxed),
                    Fix::Barriers1And4 => {
                        fence(Ordering::SeqCst); // barrier 1
                        com.store(true, Ordering::Relaxed);
                    }
                    Fix::Volatile => com.store(true, Ordering::Release),
                }
            })
            .unwrap();
        let b = thread::Builder::new()
            .name("b")
            .spawn(move || {
                let done = match fix {
                    Fix::Volatile => complete.load(Ordering::Acquire),
                    _ => complete.load(Ordering::Relaxed),
                };
                if done {
                    if let Fix::Barriers1And4 = fix {
                        fence(Ordering::SeqCst); // barrier 4
                    }
                    Some(answer.load(Ordering::Relaxed))
                } else {
                    None
                }
            })
            .unwrap();
        a.join().unwrap();
        match b.join().unwrap() {
            Some(v) => format!("B printed {v}"),
            None => "B printed nothing".to_owned(),
        }
    })
    .expect("B prints 123 or nothing", |o: &String| {
        if o == "B printed 0" {
            Grade::Forbidden
        } else {
            Grade::Acceptable
        }
    })
}

fn racy() -> Scenario<String> {
    scenario("b06::foo_no_barriers", Fix::None)
}

#[test]
fn loom_finds_the_zero() {
    let report = common::explore(&racy(), &common::loom());
    report.assert_racy(Some(racelab::explore::FailureKind::ForbiddenOutcome));
}

/// shuttle runs every atomic as `SeqCst`: it cannot print 0, and says so by
/// finding nothing.
#[test]
fn shuttle_cannot_see_the_zero() {
    let report = common::explore(&racy(), &common::shuttle());
    report.assert_holds();
}

fn barriers() -> Scenario<String> {
    scenario("b06::foo_barriers_1_and_4", Fix::Barriers1And4)
}

#[test]
fn loom_barriers_1_and_4_hold() {
    common::explore(&barriers(), &common::loom()).assert_holds();
}

#[test]
fn shuttle_barriers_1_and_4_hold() {
    common::explore(&barriers(), &common::shuttle()).assert_holds();
}

fn volatile() -> Scenario<String> {
    scenario("b06::foo_volatile", Fix::Volatile)
}

#[test]
fn loom_volatile_holds() {
    common::explore(&volatile(), &common::loom()).assert_holds();
}

#[test]
fn shuttle_volatile_holds() {
    common::explore(&volatile(), &common::shuttle()).assert_holds();
}
