//! b07: wait for the producers before reading what they send on an
//! unbuffered channel.
//!
//! Source: Dan Richards, "Goroutines, Channels and WaitGroups" (2018,
//! <https://www.danmrichards.com/blog/2018/03/26/goroutines-channels-and-waitgroups/>),
//! a developer's write-up of his own first attempt and why it died with
//! `fatal error: all goroutines are asleep - deadlock!` (the same question is
//! asked on Stack Overflow under that error message again and again). His
//! code:
//!
//! ```go
//! func getWords() []string {
//!     ch := make(chan string)
//!     var wg sync.WaitGroup
//!     wg.Add(2)
//!     go func() { defer wg.Done(); ch <- "foo"; ch <- "bar" }()
//!     go func() { defer wg.Done(); ch <- "baz"; ch <- "qux" }()
//!     wg.Wait()
//!     close(ch)
//!     var words []string
//!     for word := range ch { words = append(words, word) }
//!     return words
//! }
//! ```
//!
//! The explanation (the teacher's, as the post gives it): the channel is
//! unbuffered, so each `ch <- "foo"` blocks until someone receives; the
//! only receiver is `getWords`, which first waits in `wg.Wait()` for the
//! goroutines to finish; they cannot finish until it receives. The fix: wait
//! and close in another goroutine while the caller ranges over the channel
//! (or give the channel room for every result).
//!
//! Transcription: `make(chan string)` -> `sync_channel_named("ch", 0)` (a
//! send waits for the receiver); the two goroutines -> threads `g1`, `g2`
//! that own a sender each (dropped at the end: `close(ch)`); `wg.Wait()` ->
//! `main` joining both (there is no WaitGroup; a join is what it waits for
//! here); `range ch` -> `rx.iter()`. Outcome: the words, sorted.
//!
//! Expected verdict: `deadlock`, in every execution.
//!
//! **Teacher marks** (1 per backend): the cycle, on `main`'s `join g1` (or
//! on `g1`'s blocked `send ch`, either end): `deadlock`, "`main` waits for
//! `g1` to finish; `g1` waits in `send` on `ch` for a receiver; the only
//! receiver is `main`, after the join". A mark that names only one side
//! (a send with no receiver, a join that never returns) without the other
//! is lenient.
//!
//! No mark belongs on: the spawns, `g2`'s own blocked send (also stuck,
//! true, but the same cycle), the setup.
//!
//! Controls: the post's fix, a third thread that waits for both producers
//! (and so closes the channel) while `main` drains it; and another
//! primitive: a bounded channel with room for all four words, so the
//! producers finish before anyone receives.

use racelab::explore::{FailureKind, Scenario};
use racelab::sync::mpsc::{self, SyncSender};
use racelab::sync::thread;

use super::common;

fn producers(tx: SyncSender<&'static str>) -> (thread::JoinHandle<()>, thread::JoinHandle<()>) {
    let tx2 = tx.clone();
    let g1 = thread::Builder::new()
        .name("g1")
        .spawn(move || {
            tx.send("foo").unwrap();
            tx.send("bar").unwrap();
        })
        .unwrap();
    let g2 = thread::Builder::new()
        .name("g2")
        .spawn(move || {
            tx2.send("baz").unwrap();
            tx2.send("qux").unwrap();
        })
        .unwrap();
    (g1, g2)
}

fn words(rx: mpsc::Receiver<&'static str>) -> String {
    let mut words: Vec<_> = rx.iter().collect();
    words.sort();
    words.join(" ")
}

fn racy() -> Scenario<String> {
    Scenario::new("blind9b::b07_waitgroup_before_drain", || {
        let (tx, rx) = mpsc::sync_channel_named("ch", 0);
        let (g1, g2) = producers(tx);
        // wg.Wait()
        g1.join().unwrap();
        g2.join().unwrap();
        // close(ch): every sender is gone with its thread. range ch:
        words(rx)
    })
    .expect_only("bar baz foo qux".to_owned())
}

/// Control: the post's fix: wait (and close) in another thread, drain here.
fn fixed_closer_thread() -> Scenario<String> {
    Scenario::new("blind9b::b07_fix_closer_thread", || {
        let (tx, rx) = mpsc::sync_channel_named("ch", 0);
        let (g1, g2) = producers(tx);
        let closer = thread::Builder::new()
            .name("closer")
            .spawn(move || {
                g1.join().unwrap();
                g2.join().unwrap();
            })
            .unwrap();
        let words = words(rx);
        closer.join().unwrap();
        words
    })
    .expect_only("bar baz foo qux".to_owned())
}

/// Control: a channel with room for every word.
fn fixed_buffered() -> Scenario<String> {
    Scenario::new("blind9b::b07_fix_buffered", || {
        let (tx, rx) = mpsc::sync_channel_named("ch", 4);
        let (g1, g2) = producers(tx);
        g1.join().unwrap();
        g2.join().unwrap();
        words(rx)
    })
    .expect_only("bar baz foo qux".to_owned())
}

#[test]
fn racy_loom() {
    let report = common::explore(&racy(), &common::loom());
    report.assert_racy(Some(FailureKind::Deadlock));
}

#[test]
fn racy_shuttle() {
    let report = common::explore(&racy(), &common::shuttle());
    report.assert_racy(Some(FailureKind::Deadlock));
}

#[test]
fn fixes_hold() {
    // Four threads over a rendezvous channel: loom hits its 200 000-execution
    // cap ("not a proof") with 3 preemptions, and with 2 as well; the
    // closer-thread fix is proved with 1 (27 217 executions), as the README
    // advises (lower the bound rather than raise the cap).
    let loom1 = common::loom().with_preemption_bound(Some(1));
    common::explore(&fixed_closer_thread(), &loom1).assert_holds();
    common::explore(&fixed_closer_thread(), &common::shuttle()).assert_holds();
    for explorer in [common::loom(), common::shuttle()] {
        common::explore(&fixed_buffered(), &explorer).assert_holds();
    }
}
