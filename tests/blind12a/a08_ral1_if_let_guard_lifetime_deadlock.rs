//! # Rust Atomics and Locks, ch. 1: the guard an `if let` keeps alive
//!
//! **Source.** Mara Bos, *Rust Atomics and Locks* (O'Reilly, 2023), chapter
//! 1 "Basics of Rust Concurrency", section "Locking: Mutexes and RwLocks",
//! "Lifetime of the MutexGuard"
//! (<https://marabos.nl/atomics/basics.html#lifetime-of-mutexguard>). The
//! book's example: `if let Some(item) = list.lock().unwrap().pop() {
//! process_item(item); }` keeps the temporary guard, and so the lock on
//! `list`, alive for the whole body of the `if let`, while `if
//! list.lock().unwrap().pop() == Some(1) { do_something(); }` drops it before
//! the body. The fix it gives: move the `pop` into its own `let` statement.
//!
//! **Program.** `consumer` runs the book's `if let`, and its
//! `process_item` appends the item to a shared `log` (locks `log`). `auditor`
//! (main) locks `log` and, while holding it, records how long `list` is
//! (locks `list`).
//!
//! **Bug.** A lock-order deadlock the code does not show: the consumer
//! holds `list` (through the `if let` temporary) when it locks `log`, the
//! auditor holds `log` when it locks `list`.
//!
//! **Teacher marks** (both backends):
//! 1. `consumer`'s `lock log` (blocked), kind `deadlock`: "waits for `log`,
//!    held by main, while holding `list` (the `if let` guard), which main
//!    waits for: a cycle".
//! 2. main's `lock list` (blocked), kind `deadlock`, the other half of the
//!    cycle.
//!
//! No mark belongs on the first two locks (each taken while holding
//! nothing), on the spawn, or on the pop.

use crate::common;
use racelab::explore::{FailureKind, Scenario};
use racelab::sync::{mpsc, thread, Arc, Mutex};

/// Items left in `list`, entries in `log`.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
struct Out(usize, usize);

impl std::fmt::Display for Out {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "list = {}, log = {}", self.0, self.1)
    }
}

fn scenario(name: &str, fixed: bool) -> Scenario<Out> {
    Scenario::new(name, move || {
        let list = Arc::new(Mutex::new(vec![1u64, 2]).named("list"));
        let log = Arc::new(Mutex::new(Vec::<u64>::new()).named("log"));
        let (l, g) = (Arc::clone(&list), Arc::clone(&log));
        let consumer = thread::Builder::new()
            .name("consumer")
            .spawn(move || {
                let process_item = |item: u64| g.lock().unwrap().push(item);
                if fixed {
                    let item = l.lock().unwrap().pop();
                    if let Some(item) = item {
                        process_item(item);
                    }
                } else if let Some(item) = l.lock().unwrap().pop() {
                    process_item(item);
                }
            })
            .unwrap();
        {
            let mut entries = log.lock().unwrap();
            let len = list.lock().unwrap().len();
            entries.push(100 + len as u64);
        }
        consumer.join().unwrap();
        let left = list.lock().unwrap().len();
        let logged = log.lock().unwrap().len();
        Out(left, logged)
    })
    .expect_only(Out(1, 2))
}

/// Another primitive: `process_item` hands the item to a logger thread over
/// a channel instead of locking `log`, so the consumer never waits for a lock
/// while holding `list`.
fn channel() -> Scenario<Out> {
    Scenario::new("blind12a::ral1_if_let_channel", || {
        let list = Arc::new(Mutex::new(vec![1u64, 2]).named("list"));
        let log = Arc::new(Mutex::new(Vec::<u64>::new()).named("log"));
        let (tx, rx) = mpsc::channel_named::<u64>("items");
        let g = Arc::clone(&log);
        let logger = thread::Builder::new()
            .name("logger")
            .spawn(move || {
                for item in rx.iter() {
                    g.lock().unwrap().push(item);
                }
            })
            .unwrap();
        let l = Arc::clone(&list);
        let consumer = thread::Builder::new()
            .name("consumer")
            .spawn(move || {
                if let Some(item) = l.lock().unwrap().pop() {
                    tx.send(item).unwrap();
                }
            })
            .unwrap();
        {
            let mut entries = log.lock().unwrap();
            let len = list.lock().unwrap().len();
            entries.push(100 + len as u64);
        }
        consumer.join().unwrap();
        logger.join().unwrap();
        let left = list.lock().unwrap().len();
        let logged = log.lock().unwrap().len();
        Out(left, logged)
    })
    .expect_only(Out(1, 2))
}

#[test]
fn racy_loom() {
    let r = common::explore(&scenario("blind12a::ral1_if_let_guard", false), &common::loom());
    r.assert_racy(Some(FailureKind::Deadlock));
}

#[test]
fn racy_shuttle() {
    let r = common::explore(&scenario("blind12a::ral1_if_let_guard", false), &common::shuttle());
    r.assert_racy(Some(FailureKind::Deadlock));
}

#[test]
fn controls_hold() {
    for s in [scenario("blind12a::ral1_let_then_if_let", true), channel()] {
        common::explore(&s, &common::loom()).assert_holds();
        common::explore(&s, &common::shuttle()).assert_holds();
    }
}
