//! a03: the idiomatic `err` captured by a goroutine.
//!
//! **Source.** Milind Chabbi and Murali Krishna Ramanathan, "A Study of
//! Real-World Data Races in Golang", PLDI 2022 (arXiv:2204.00764), the
//! pattern "capture-by-reference of the idiomatic `err` variable"; the same
//! example is Figure 1B, "Data race due to idiomatic `err` variable capture",
//! in Uber's blog post "Data Race Patterns in Go" (2022,
//! <https://www.uber.com/blog/data-race-patterns-in-go/>). The code:
//!
//! ```go
//! x, err := Foo()
//! if err != nil { ... }
//! go func() {
//!     var y int
//!     y, err = Bar()      // writes the enclosing err
//!     if err != nil { ... }
//! }()
//! var z string
//! z, err = Baz()          // writes the same err
//! if err != nil { ... }
//! ```
//!
//! Because Go closures capture by reference, the goroutine's `y, err = Bar()`
//! assigns the *outer* `err`, which the enclosing function also assigns and
//! checks: each `if err != nil` may test the other one's error.
//!
//! **Transcription.** `err` is one shared word: an `AtomicU64` named `err`
//! (0 is nil, 1 is "Bar failed"), every access `SeqCst`, so the bug shows as
//! the interleaving it is rather than as a C11 data race. `Foo` and `Baz`
//! succeed, `Bar` fails. The enclosing function is `main`, the goroutine a
//! thread `bar`. Each side stores its call's result into `err` and then loads
//! `err` for its `if err != nil`; the outcome is what each side concluded.
//! The Go function returns without waiting for the goroutine; here main joins
//! it at the end, only to report what it saw.
//!
//! **The bug.** An atomicity violation: each side's write of `err` and its
//! read-back in `if err != nil` are meant as one; the other side's write can
//! land between them. The bad executions: main's check reads `Bar`'s error
//! (main fails though `Baz` succeeded), or the goroutine's check reads main's
//! nil (the goroutine misses `Bar`'s error).
//!
//! **Teacher marks** (written before the first run), on whichever bad
//! execution the timeline shows:
//! - if main reads the goroutine's error: main's `load err -> 1`, kind
//!   `atomicity_violation`: "reads bar's write of `err` (step N), not its own
//!   `err = Baz()` (step M)".
//! - if the goroutine reads main's nil: bar's `load err -> 0`, kind
//!   `atomicity_violation`: "reads main's write of `err`, not its own
//!   `err = Bar()`".
//!   One mark per backend (loom and shuttle each).
//! - No mark on `x, err := Foo()` (before the goroutine exists), on the
//!   spawn, on the join, or on the other side's write as such (it is the
//!   interloper, the other end of the pair: a mark there naming the split
//!   pair counts as lenient).
//!
//! **Control.** The paper's fix is to declare a fresh `err` in the closure
//! (`y, err := Bar()`): the goroutine's error is then its own. It hands it
//! back over a channel, which main receives at the end.

use racelab::explore::{FailureKind, Grade, Scenario};
use racelab::sync::atomic::{AtomicU64, Ordering::SeqCst};
use racelab::sync::{mpsc, thread, Arc};

use crate::common;

const NIL: u64 = 0;
const BAR_FAILED: u64 = 1;

fn foo() -> u64 {
    NIL
}
fn bar() -> u64 {
    BAR_FAILED
}
fn baz() -> u64 {
    NIL
}

fn verdict(main_failed: bool, bar_failed: bool) -> String {
    format!("main sees error: {main_failed}, goroutine sees error: {bar_failed}")
}

fn right(o: &String) -> Grade {
    if *o == verdict(false, true) {
        Grade::Acceptable
    } else {
        Grade::Forbidden
    }
}

fn racy() -> Scenario<String> {
    Scenario::new("blind6a::uber_err_capture", || {
        // x, err := Foo()
        let err = Arc::new(AtomicU64::new(foo()).named("err"));
        if err.load(SeqCst) != NIL {
            return "Foo failed".to_owned();
        }
        let captured = Arc::clone(&err);
        let goroutine = thread::Builder::new()
            .name("bar")
            .spawn(move || {
                // y, err = Bar()
                captured.store(bar(), SeqCst);
                // if err != nil { ... }
                captured.load(SeqCst) != NIL
            })
            .unwrap();
        // z, err = Baz()
        err.store(baz(), SeqCst);
        // if err != nil { ... }
        let main_failed = err.load(SeqCst) != NIL;
        let bar_failed = goroutine.join().unwrap();
        verdict(main_failed, bar_failed)
    })
    .expect(verdict(false, true), right)
}

fn fixed_local_err() -> Scenario<String> {
    Scenario::new("blind6a::uber_err_local", || {
        let err = Arc::new(AtomicU64::new(foo()).named("err"));
        if err.load(SeqCst) != NIL {
            return "Foo failed".to_owned();
        }
        let (tx, rx) = mpsc::channel_named::<bool>("bar_result");
        let goroutine = thread::Builder::new()
            .name("bar")
            .spawn(move || {
                // y, err := Bar(): a fresh err of the goroutine's own
                let err = bar();
                tx.send(err != NIL).unwrap();
            })
            .unwrap();
        err.store(baz(), SeqCst);
        let main_failed = err.load(SeqCst) != NIL;
        let bar_failed = rx.recv().unwrap();
        goroutine.join().unwrap();
        verdict(main_failed, bar_failed)
    })
    .expect(verdict(false, true), right)
}

#[test]
fn racy_loom() {
    let report = common::explore(&racy(), &common::loom());
    report.assert_racy(Some(FailureKind::ForbiddenOutcome));
}

#[test]
fn racy_shuttle() {
    let report = common::explore(&racy(), &common::shuttle());
    report.assert_racy(Some(FailureKind::ForbiddenOutcome));
}

#[test]
fn fixed_local_err_holds() {
    common::explore(&fixed_local_err(), &common::loom()).assert_holds();
    common::explore(&fixed_local_err(), &common::shuttle()).assert_holds();
}
