//! Fan-in over a channel: two workers send their results to a collector
//! thread that sums `for r in rx`, and main joins the workers, then the
//! collector for the total ("my program hangs after all the workers are
//! done", the Rust users forum's most common channel question).
//!
//! The bug: `for r in rx` ends only when every `Sender` is dropped, and main
//! still holds the original `tx` (it only gave clones to the workers). The
//! collector waits for a message only main could send, while main waits in
//! `join` for the collector: a cycle through a channel and a join. It hangs
//! on every schedule.
//!
//! Teacher marks (written before looking at racelab's marks):
//! 1. the collector's blocked `recv results` (after the two messages):
//!    **deadlock**, it waits for a message (or a hang-up) on `results`
//!    whose remaining sender, main's `tx`, is never dropped.
//! 2. main's blocked `join collector`: **deadlock**, it waits for the
//!    collector, which waits for main (the cycle).
//!
//! Spurious: any mark on the workers' sends or joins, lost wake-up, data
//! race, lost update.

use racelab::explore::{Explorer, Scenario};
use racelab::sync::{mpsc, thread};

use crate::common::{expect_bug, expect_holds};

#[derive(Clone, Copy, PartialEq)]
enum Version {
    Racy,
    DropTx,
    JoinValues,
}

fn scenario(name: &str, version: Version) -> Scenario<u64> {
    Scenario::new(name, move || {
        if version == Version::JoinValues {
            // Another fix, with another primitive: no channel, each worker
            // returns its result through `join`.
            let workers: Vec<_> = (1..=2u64)
                .map(|i| {
                    thread::Builder::new()
                        .name(format!("worker{i}"))
                        .spawn(move || i * 10)
                        .unwrap()
                })
                .collect();
            return workers.into_iter().map(|w| w.join().unwrap()).sum();
        }
        let (tx, rx) = mpsc::channel_named::<u64>("results");
        let collector = thread::Builder::new()
            .name("collector")
            .spawn(move || {
                let mut total = 0;
                // `for r in rx` in std; the facade's Receiver is not an
                // iterator, so the same loop by hand.
                while let Ok(r) = rx.recv() {
                    total += r;
                }
                total
            })
            .unwrap();
        let workers: Vec<_> = (1..=2u64)
            .map(|i| {
                let tx = tx.clone();
                thread::Builder::new()
                    .name(format!("worker{i}"))
                    .spawn(move || tx.send(i * 10).unwrap())
                    .unwrap()
            })
            .collect();
        if version == Version::DropTx {
            drop(tx);
        }
        for w in workers {
            w.join().unwrap();
        }
        collector.join().unwrap()
    })
    .expect_only(30)
}

#[test]
fn loom_finds_hang() {
    expect_bug(&scenario("b06::collector", Version::Racy), &Explorer::loom());
}

#[test]
fn shuttle_finds_hang() {
    expect_bug(&scenario("b06::collector", Version::Racy), &Explorer::shuttle());
}

// WRONG VERDICT (loom): with `tx` dropped the program is correct (std's and
// shuttle's `recv` return `Err` once every sender is gone), but loom's mpsc
// has no hang-up: its `recv` blocks for ever, and racelab reports a deadlock
// ("the threads that could wake it (main) are blocked too", which is false:
// main holds no sender). The facade's `Receiver::recv` doc says "Blocks until
// a value arrives, or every sender is gone"; under loom it does not. The right
// verdict is asserted; the test is ignored until the loom backend agrees.
#[test]
// Fixed since: under loom the facade builds its own channel, which
// reports that every sender is gone; the right verdict now holds.
fn loom_drop_tx_holds() {
    expect_holds(&scenario("b06::collector_drop_tx", Version::DropTx), &Explorer::loom());
}

#[test]
fn shuttle_drop_tx_holds() {
    expect_holds(
        &scenario("b06::collector_drop_tx", Version::DropTx),
        &Explorer::shuttle(),
    );
}

#[test]
fn loom_join_values_holds() {
    expect_holds(&scenario("b06::join_values", Version::JoinValues), &Explorer::loom());
}

#[test]
fn shuttle_join_values_holds() {
    expect_holds(&scenario("b06::join_values", Version::JoinValues), &Explorer::shuttle());
}
