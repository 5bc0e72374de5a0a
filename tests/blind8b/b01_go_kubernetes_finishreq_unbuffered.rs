//! # b01: Kubernetes' `finishReq`: a child blocked for ever on an unbuffered channel
//!
//! **Source.** T. Tu, X. Liu, L. Song, Y. Zhang, "Understanding Real-World
//! Concurrency Bugs in Go", ASPLOS 2019, section 1 and Figure 1 ("A blocking
//! bug caused by channel", from Kubernetes),
//! <https://songlh.github.io/paper/go-study.pdf>:
//!
//! ```go
//! func finishReq(timeout time.Duration) r ob {
//!     ch := make(chan ob)          // fix: ch := make(chan ob, 1)
//!     go func() {
//!         result := fn()
//!         ch <- result             // blocks until the parent receives
//!     }()
//!     select {
//!     case result = <-ch:
//!         return result
//!     case <-time.After(timeout):
//!         return nil
//!     }
//! }
//! ```
//!
//! **The program.** The parent starts a child to compute a result and waits
//! for it on an unbuffered channel, or for a timeout. The paper explains
//! (paraphrased): if the timeout fires first, or the runtime picks the
//! timeout case when both are ready, the parent returns, nobody can receive
//! from `ch` any more, and the child stays blocked in its send for ever.
//! The fix is a buffer of one.
//!
//! **Transcription.** `ch` is `sync_channel_named("ch", 0)` (a rendezvous,
//! Go's unbuffered channel). Time is not modelled, so the timer may fire at
//! any moment: the parent looks once with `try_recv` and takes the timeout
//! branch if the result is not there yet. It keeps its receiver (a Go channel
//! is never "hung up" by the reader), and at the end of the request joins the
//! child, as a goroutine-leak check (`goleak`) would: the leak becomes a wait
//! the model can see.
//!
//! **The bad execution.** main `try_recv ch` finds nothing (the timeout
//! branch), the child's `send ch` then blocks for a receiver that will never
//! come, and main's `join child` waits for it for ever: a deadlock.
//!
//! **Teacher marks.**
//! 1. the child's blocked `send ch`, kind `deadlock`: "child waits in send
//!    on the unbuffered ch for a receiver; the only receiver, main, gave up
//!    at its try_recv (the timeout) and now waits in join for child: neither
//!    can go on." (A mark on main's `join child` naming the same cycle is the
//!    other end: lenient.)
//!
//! No mark on the spawn, nor on the result computation; main's `try_recv`
//! is the cause and may be cited in the text, but it is not a wrong step by
//! itself (taking the timeout is the program's design).
//!
//! **Controls.** (a) the paper's fix: `ch` with a buffer of one, so the
//! child's send completes whether or not the parent still listens; (b) a
//! Rust-only fix with another mechanism: the parent hangs up (drops its
//! receiver) when it gives up, so the child's send fails instead of
//! blocking.

use racelab::explore::{FailureKind, Scenario};
use racelab::sync::{mpsc, thread};

use crate::common;

/// `finishReq` with a channel of `bound` slots; `hang_up`: the parent drops
/// its receiver on timeout (control b).
fn finish_req(name: &str, bound: usize, hang_up: bool) -> Scenario<String> {
    Scenario::new(name, move || {
        let (tx, rx) = mpsc::sync_channel_named::<u32>("ch", bound);
        let child = thread::Builder::new()
            .name("child")
            .spawn(move || {
                let result = 42; // result := fn()
                let _ = tx.send(result); // ch <- result
            })
            .unwrap();
        // select { case result = <-ch: ... case <-time.After(timeout): ... }
        let got = rx.try_recv().ok();
        let rx = if got.is_none() && hang_up {
            drop(rx);
            None
        } else {
            Some(rx)
        };
        // The request is over: every goroutine it started must end.
        child.join().unwrap();
        drop(rx);
        match got {
            Some(r) => format!("result {r}"),
            None => "timed out".to_owned(),
        }
    })
}

fn racy() -> Scenario<String> {
    finish_req("b01::finish_req_unbuffered", 0, false)
}

#[test]
fn loom_finds_the_blocked_child() {
    let report = common::explore(&racy(), &common::loom());
    report.assert_racy(Some(FailureKind::Deadlock));
}

#[test]
fn shuttle_finds_the_blocked_child() {
    let report = common::explore(&racy(), &common::shuttle());
    report.assert_racy(Some(FailureKind::Deadlock));
}

fn buffered() -> Scenario<String> {
    finish_req("b01::finish_req_buffered", 1, false)
}

#[test]
fn loom_buffered_channel_holds() {
    common::explore(&buffered(), &common::loom()).assert_holds();
}

#[test]
fn shuttle_buffered_channel_holds() {
    common::explore(&buffered(), &common::shuttle()).assert_holds();
}

fn hang_up() -> Scenario<String> {
    finish_req("b01::finish_req_hang_up", 0, true)
}

#[test]
fn loom_hang_up_holds() {
    common::explore(&hang_up(), &common::loom()).assert_holds();
}

#[test]
fn shuttle_hang_up_holds() {
    common::explore(&hang_up(), &common::shuttle()).assert_holds();
}
