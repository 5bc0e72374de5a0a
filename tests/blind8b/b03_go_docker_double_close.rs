//! # b03: Docker#24007: a channel closed twice (check, then close)
//!
//! **Source.** T. Tu, X. Liu, L. Song, Y. Zhang, "Understanding Real-World
//! Concurrency Bugs in Go", ASPLOS 2019, section 6.1.2 ("Misusing channel")
//! and Figure 10 ("A bug caused by closing a channel twice", Docker#24007),
//! <https://songlh.github.io/paper/go-study.pdf>:
//!
//! ```go
//! - select {
//! -   case <-c.closed:
//! -   default:
//! +     Once.Do(func() {
//!         close(c.closed)
//! +     })
//! - }
//! ```
//!
//! **The program.** Whoever finds `c.closed` still open closes it. The paper
//! (paraphrased): when several goroutines run this code, more than one can
//! take the `default` clause and close the channel, and closing a closed
//! channel is a runtime panic in Go. The fix closes it under a `sync.Once`.
//!
//! **Transcription.** What matters of the channel `c.closed` is its closed
//! state, which Go's runtime keeps under the channel's own lock: a receive in
//! a `select` with a `default` looks at it under that lock and returns at
//! once, and `close` takes the lock and panics if the channel is already
//! closed ("close of closed channel"). So `c.closed` is a `Mutex<bool>`
//! named `c.closed`: the check is one locked read, the close one locked
//! read-and-write that panics on `true`. Two goroutines `g1`, `g2` run the
//! snippet; main joins them.
//!
//! **The bad execution.** g1 checks (`lock c.closed -> false`, open), g2
//! checks (`false`), g1 closes (`false -> true`), g2 closes: its lock finds
//! `true` and it panics.
//!
//! **Teacher marks.**
//! 1. g2's close (its second `lock c.closed`, which finds `true`), kind
//!    `stale_check` (or `atomicity_violation`): "g2 closes on its check at
//!    step N (open), but g1 closed the channel at step M in between." A mark
//!    on g1's close naming g2's check and act is the other end: lenient.
//!
//! No mark on the first close (g1's act is right on its own), on either
//! check by itself, nor on the joins. (If g1 checks, closes, and only then
//! g2 checks, g2 finds it closed and does nothing: no bug.)
//!
//! **Controls.** (a) the paper's fix: the close inside a `Once`
//! (`racelab::sync::Once::call_once`); (b) another primitive: a `closing`
//! flag claimed by one `compare_exchange(false, true)`; only its winner
//! closes.

use racelab::explore::{FailureKind, Scenario};
use racelab::sync::atomic::{AtomicBool, Ordering};
use racelab::sync::{thread, Arc, Mutex, Once};

use crate::common;

/// What each goroutine guards the close with.
#[derive(Clone, Copy)]
enum Guard {
    /// `select { case <-c.closed: default: close(c.closed) }`.
    SelectDefault,
    /// `Once.Do(func() { close(c.closed) })`.
    Once,
    /// Only the winner of a compare-exchange on `closing` closes.
    Cas,
}

struct Conn {
    /// The channel's closed state, under the channel's own lock.
    closed: Mutex<bool>,
    once: Once,
    closing: AtomicBool,
}

impl Conn {
    /// `case <-c.closed:` in a select with a default: is it closed yet?
    fn is_closed(&self) -> bool {
        *self.closed.lock().unwrap()
    }

    /// `close(c.closed)`.
    fn close(&self) {
        let mut closed = self.closed.lock().unwrap();
        if *closed {
            panic!("close of closed channel");
        }
        *closed = true;
    }

    fn shut(&self, guard: Guard) {
        match guard {
            Guard::SelectDefault => {
                if !self.is_closed() {
                    self.close();
                }
            }
            Guard::Once => self.once.call_once(|| self.close()),
            Guard::Cas => {
                if self
                    .closing
                    .compare_exchange(false, true, Ordering::AcqRel, Ordering::Acquire)
                    .is_ok()
                {
                    self.close();
                }
            }
        }
    }
}

fn scenario(name: &str, guard: Guard) -> Scenario<bool> {
    Scenario::new(name, move || {
        let c = Arc::new(Conn {
            closed: Mutex::new(false).named("c.closed"),
            once: Once::new().named("once"),
            closing: AtomicBool::new(false).named("closing"),
        });
        let handles: Vec<_> = ["g1", "g2"]
            .into_iter()
            .map(|name| {
                let c = Arc::clone(&c);
                thread::Builder::new().name(name).spawn(move || c.shut(guard)).unwrap()
            })
            .collect();
        for h in handles {
            h.join().unwrap();
        }
        c.is_closed()
    })
    .expect_only(true)
}

fn racy() -> Scenario<bool> {
    scenario("b03::select_default_close", Guard::SelectDefault)
}

#[test]
fn loom_finds_the_double_close() {
    let report = common::explore(&racy(), &common::loom());
    report.assert_racy(Some(FailureKind::Panic));
}

#[test]
fn shuttle_finds_the_double_close() {
    let report = common::explore(&racy(), &common::shuttle());
    report.assert_racy(Some(FailureKind::Panic));
}

fn once() -> Scenario<bool> {
    scenario("b03::once_close", Guard::Once)
}

#[test]
fn loom_once_holds() {
    common::explore(&once(), &common::loom()).assert_holds();
}

#[test]
fn shuttle_once_holds() {
    common::explore(&once(), &common::shuttle()).assert_holds();
}

fn cas() -> Scenario<bool> {
    scenario("b03::cas_close", Guard::Cas)
}

#[test]
fn loom_cas_holds() {
    common::explore(&cas(), &common::loom()).assert_holds();
}

#[test]
fn shuttle_cas_holds() {
    common::explore(&cas(), &common::shuttle()).assert_holds();
}
