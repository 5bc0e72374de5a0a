//! # b02: a lock held across an unbuffered send (Go, Figure 7)
//!
//! **Source.** T. Tu, X. Liu, L. Song, Y. Zhang, "Understanding Real-World
//! Concurrency Bugs in Go", ASPLOS 2019, section 5.1.2 ("Channel and other
//! blocking primitives") and Figure 7,
//! <https://songlh.github.io/paper/go-study.pdf>:
//!
//! ```go
//! func goroutine1() {
//!     m.Lock()
//! -   ch <- request          // blocks
//! +   select {
//! +   case ch <- request:
//! +   default:
//! +   }
//!     m.Unlock()
//! }
//! func goroutine2() {
//!     for {
//!         m.Lock()           // blocks
//!         m.Unlock()
//!         request <- ch
//!     }
//! }
//! ```
//!
//! **The program.** goroutine1 sends a request on an unbuffered channel
//! while holding `m`; goroutine2 loops: take and drop `m`, then receive. In
//! the paper's words (paraphrased), goroutine1 blocks sending the request on
//! `ch` while goroutine2 blocks in `m.Lock()`. The fix adds a `select` with
//! a `default` so the send never blocks.
//!
//! **Transcription.** `m` is a `Mutex<()>`, `ch` a
//! `sync_channel_named("ch", 0)`. goroutine1 closes `ch` (drops its sender)
//! when done, so goroutine2's loop ends when there is nothing more to
//! receive (the server loop of the original runs for ever; here it stops on
//! the hang-up, which keeps the fixed versions finite). Threads `g1`, `g2`;
//! main joins both.
//!
//! **The bad execution.** g1 `lock m`; g1 `send ch` blocks (nobody
//! receives yet); g2 `lock m` blocks (g1 holds it). Neither can go on.
//!
//! **Teacher marks.**
//! 1. the cycle, kind `deadlock`, on g2's blocked `lock m` or on g1's
//!    blocked `send ch`: "g1 holds m and waits in send on ch for g2 to
//!    receive; g2 waits for m before it can receive." A strict mark names
//!    both edges (m held by g1; g1 waiting on ch for g2).
//!
//! No mark on main's joins (they wait on the cycle, not part of it) nor on
//! the spawns.
//!
//! **Controls.** (a) the paper's fix: `try_send` (the `select` with a
//! `default`): the request may be dropped when nobody is ready, which the
//! fixed program accepts; (b) another fix the paper lists for channel bugs,
//! moving the channel operation out of the critical section: unlock, then
//! send, so the request is always delivered.

use racelab::explore::{FailureKind, Grade, Scenario};
use racelab::sync::{mpsc, thread, Arc, Mutex};

use crate::common;

#[derive(Clone, Copy)]
enum SendHow {
    /// `ch <- request` inside the critical section.
    Blocking,
    /// `select { case ch <- request: default: }` inside it.
    SelectDefault,
    /// Unlock first, then `ch <- request`.
    AfterUnlock,
}

fn scenario(name: &str, how: SendHow) -> Scenario<String> {
    Scenario::new(name, move || {
        let m = Arc::new(Mutex::new(()).named("m"));
        let (tx, rx) = mpsc::sync_channel_named::<u32>("ch", 0);
        let m1 = Arc::clone(&m);
        let g1 = thread::Builder::new()
            .name("g1")
            .spawn(move || {
                let request = 7;
                let guard = m1.lock().unwrap();
                match how {
                    SendHow::Blocking => {
                        let _ = tx.send(request);
                        drop(guard);
                    }
                    SendHow::SelectDefault => {
                        let _ = tx.try_send(request);
                        drop(guard);
                    }
                    SendHow::AfterUnlock => {
                        drop(guard);
                        let _ = tx.send(request);
                    }
                }
                drop(tx); // close(ch)
            })
            .unwrap();
        let m2 = Arc::clone(&m);
        let g2 = thread::Builder::new()
            .name("g2")
            .spawn(move || {
                let mut got = Vec::new();
                loop {
                    drop(m2.lock().unwrap());
                    match rx.recv() {
                        Ok(request) => got.push(request),
                        Err(_) => break,
                    }
                }
                got
            })
            .unwrap();
        g1.join().unwrap();
        let got = g2.join().unwrap();
        format!("g2 received {got:?}")
    })
    .expect("no one blocked for ever (a dropped request is fine)", |_| {
        Grade::Acceptable
    })
}

fn racy() -> Scenario<String> {
    scenario("b02::lock_held_across_send", SendHow::Blocking)
}

#[test]
fn loom_finds_the_lock_channel_cycle() {
    let report = common::explore(&racy(), &common::loom());
    report.assert_racy(Some(FailureKind::Deadlock));
}

#[test]
fn shuttle_finds_the_lock_channel_cycle() {
    let report = common::explore(&racy(), &common::shuttle());
    report.assert_racy(Some(FailureKind::Deadlock));
}

fn select_default() -> Scenario<String> {
    scenario("b02::select_default", SendHow::SelectDefault)
}

#[test]
fn loom_select_default_holds() {
    common::explore(&select_default(), &common::loom()).assert_holds();
}

#[test]
fn shuttle_select_default_holds() {
    common::explore(&select_default(), &common::shuttle()).assert_holds();
}

fn send_after_unlock() -> Scenario<String> {
    scenario("b02::send_after_unlock", SendHow::AfterUnlock).expect_only("g2 received [7]".to_owned())
}

#[test]
fn loom_send_after_unlock_holds() {
    common::explore(&send_after_unlock(), &common::loom()).assert_holds();
}

#[test]
fn shuttle_send_after_unlock_holds() {
    common::explore(&send_after_unlock(), &common::shuttle()).assert_holds();
}
