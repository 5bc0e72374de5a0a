//! # b04: Albahari's `ThreadUnsafe`: check `_val2 != 0`, then divide by it
//!
//! **Source.** Joseph Albahari, "Threading in C#", Part 2, "Locking"
//! (<https://www.albahari.com/threading/part2.aspx#_Locking>; the same code
//! is the first listing of chapter 21 of "C# in a Nutshell",
//! <https://albahari.com/nutshell/E10-CH21.aspx>):
//!
//! ```csharp
//! class ThreadUnsafe
//! {
//!   static int _val1 = 1, _val2 = 1;
//!   static void Go()
//!   {
//!     if (_val2 != 0) Console.WriteLine (_val1 / _val2);
//!     _val2 = 0;
//!   }
//! }
//! ```
//!
//! "This class is not thread-safe: if Go was called by two threads
//! simultaneously, it would be possible to get a division-by-zero error,
//! because _val2 could be set to zero in one thread right as the other
//! thread was in between executing the if statement and Console.WriteLine."
//! The fix is a `lock` around the body of `Go`.
//!
//! **Transcription.** C#'s `int` fields are read and written whole, with no
//! ordering: `AtomicI32` with `Relaxed`, named `val1` and `val2`. `_val1 /
//! _val2` reads `_val2` again (C# reads the field twice); Rust's `/` panics
//! on zero as C# throws `DivideByZeroException`. Two threads `t1`, `t2` run
//! `Go`; main joins them and returns what each printed.
//!
//! **The bad execution.** t1 `load val2 -> 1` (the check), t2 runs (its own
//! check, maybe its print) and `store val2 <- 0`, t1 `load val1 -> 1`, t1
//! `load val2 -> 0` and divides by zero: a panic.
//!
//! **Teacher marks.**
//! 1. t1's second `load val2 -> 0` (the divisor), kind `stale_check` (or
//!    `atomicity_violation`): "t1 divides on its check at step N (val2 = 1),
//!    but t2 set val2 to 0 at step M in between: the check and the use
//!    are two reads." A mark on t2's `store val2 <- 0` naming t1's check and
//!    use is the other end: lenient.
//!
//! No mark on the `val1` loads, on t2's own check (it is not wrong), nor on
//! the setup and joins. On loom, `Relaxed` lets t1 read an older `val2`,
//! but this bug needs no weak memory: a `stale_read` or `no_sync` mark here
//! would be beside the point (the same crash happens under `SeqCst`).
//!
//! **Controls.** (a) Albahari's fix: the whole body under one lock (the two
//! fields in a `Mutex`); (b) no lock at all: read `_val2` once into a local
//! and divide by that, so the check and the use see the same value.

use racelab::explore::{FailureKind, Scenario};
use racelab::sync::atomic::{AtomicI32, Ordering::Relaxed};
use racelab::sync::{thread, Arc, Mutex};

use crate::common;

#[derive(Clone, Copy)]
enum Fix {
    None,
    Lock,
    ReadOnce,
}

struct Fields {
    val1: AtomicI32,
    val2: AtomicI32,
    /// `(_val1, _val2)` for the locked version.
    locked: Mutex<(i32, i32)>,
}

/// One call of `Go`: what it printed, if anything.
fn go(f: &Fields, fix: Fix) -> Option<i32> {
    match fix {
        Fix::None => {
            let printed = if f.val2.load(Relaxed) != 0 {
                Some(f.val1.load(Relaxed) / f.val2.load(Relaxed))
            } else {
                None
            };
            f.val2.store(0, Relaxed);
            printed
        }
        Fix::Lock => {
            let mut v = f.locked.lock().unwrap();
            let printed = if v.1 != 0 { Some(v.0 / v.1) } else { None };
            v.1 = 0;
            printed
        }
        Fix::ReadOnce => {
            let val2 = f.val2.load(Relaxed);
            let printed = if val2 != 0 {
                Some(f.val1.load(Relaxed) / val2)
            } else {
                None
            };
            f.val2.store(0, Relaxed);
            printed
        }
    }
}

fn scenario(name: &str, fix: Fix) -> Scenario<String> {
    Scenario::new(name, move || {
        let f = Arc::new(Fields {
            val1: AtomicI32::new(1).named("val1"),
            val2: AtomicI32::new(1).named("val2"),
            locked: Mutex::new((1, 1)).named("vals"),
        });
        let handles: Vec<_> = ["t1", "t2"]
            .into_iter()
            .map(|name| {
                let f = Arc::clone(&f);
                thread::Builder::new().name(name).spawn(move || go(&f, fix)).unwrap()
            })
            .collect();
        let printed: Vec<_> = handles.into_iter().map(|h| h.join().unwrap()).collect();
        format!("printed {printed:?}")
    })
    // Any output is fine ("1" once or twice); the bug is the exception.
}

fn racy() -> Scenario<String> {
    scenario("b04::thread_unsafe_divide", Fix::None)
}

#[test]
fn loom_finds_the_divide_by_zero() {
    let report = common::explore(&racy(), &common::loom());
    report.assert_racy(Some(FailureKind::Panic));
}

#[test]
fn shuttle_finds_the_divide_by_zero() {
    let report = common::explore(&racy(), &common::shuttle());
    report.assert_racy(Some(FailureKind::Panic));
}

fn locked() -> Scenario<String> {
    scenario("b04::locked_divide", Fix::Lock)
}

#[test]
fn loom_lock_holds() {
    common::explore(&locked(), &common::loom()).assert_holds();
}

#[test]
fn shuttle_lock_holds() {
    common::explore(&locked(), &common::shuttle()).assert_holds();
}

fn read_once() -> Scenario<String> {
    scenario("b04::read_once_divide", Fix::ReadOnce)
}

#[test]
fn loom_read_once_holds() {
    common::explore(&read_once(), &common::loom()).assert_holds();
}

#[test]
fn shuttle_read_once_holds() {
    common::explore(&read_once(), &common::shuttle()).assert_holds();
}
