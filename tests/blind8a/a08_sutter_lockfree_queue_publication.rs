//! a08: Marginean's single-producer lock-free queue, as Herb Sutter took it
//! apart: a publication without ordering.
//!
//! **Source.** Herb Sutter, "Lock-Free Code: A False Sense of Security",
//! Effective Concurrency, Dr. Dobb's Journal, September 2008
//! (<https://drdobbs.com/cpp/lock-free-code-a-false-sense-of-security/210600279?pgno=4>),
//! "Ordering Problems in Produce": `list.push_back(t); // A: add the new
//! item` then `iTail = list.end(); // B: publish it` -- "This is a classic
//! publication race because lines A and B can be (partly or entirely)
//! reordered. For example, let's say that some of the writes to the T
//! object's members are delayed until after the write to iTail, which
//! publishes that the new object is available; then the consumer thread
//! can see a partly assigned T object." The consumer side (`Consume`):
//! `if (iNext != iTail) { iHead = iNext; t = *iHead; ... }`. His fix, in
//! "Writing Lock-Free Code: A Corrected Queue" (DDJ, October 2008): make
//! the shared iterators ordered atomics.
//!
//! **Program.** Nodes are slots: `node0` the dummy, `node1` for the item,
//! each value a plain `UnsafeCell<u64>` (the T object). `iHead` is the last
//! consumed node, `iTail` one past the last produced, both atomic but
//! `Relaxed`: Sutter's first point (atomicity) granted, his second
//! (ordering) not. alice produces 42; bob consumes, polling twice.
//!
//! **Bug.** alice's write of node1's value and her `store iTail <- 2` are
//! not ordered for bob: his `Relaxed` load of `iTail` can see 2 while the
//! value write is not visible to him; his read of node1 then races with
//! alice's write (loom: a data race; real hardware: a partly assigned T).
//! shuttle runs every atomic as SeqCst and has no race detector for plain
//! cells: it cannot see this bug, and should say nothing is wrong (no marks
//! expected there; 0 teacher marks on shuttle).
//!
//! **Teacher marks (loom).**
//! 1. bob's `read node1.value` (cell read): **data_race** with alice's
//!    `write node1.value`. "bob reads the item alice is writing: nothing
//!    orders her write before his read."
//! 2. bob's `load iTail -> 2` (Relaxed), or alice's `store iTail <- 2`
//!    (Relaxed): **no_sync**. "the Relaxed publication of iTail does not
//!    synchronise: seeing 2 says nothing about node1's contents. Release on
//!    the store and Acquire on the load would order them."
//!
//! No mark belongs on bob's `store iHead <- 1` (consumer-owned bookkeeping;
//! harmless in this one-item run) or on `main`'s joins.
//!
//! **Controls.** (1) Sutter's correction: `iTail` published with `Release`
//! and read with `Acquire` (`iHead` likewise). (2) A different primitive:
//! an unbounded `mpsc::channel` as the queue.

use crate::common;
use racelab::explore::{FailureKind, Grade, Scenario};
use racelab::sync::atomic::{AtomicUsize, Ordering};
use racelab::sync::cell::UnsafeCell;
use racelab::sync::{mpsc, thread, Arc};

struct SpscQueue {
    value: [UnsafeCell<u64>; 2],
    /// `iHead`: the last consumed node (the dummy at first).
    head: AtomicUsize,
    /// `iTail`: one past the last produced node.
    tail: AtomicUsize,
    publish: Ordering,
    observe: Ordering,
}

// SAFETY: one producer writes a node's value before publishing it through
// `tail`; one consumer reads a value only after seeing it published. That
// is sound only if `publish`/`observe` are Release/Acquire: with Relaxed it
// is exactly the bug this puzzle is about, which loom reports as a race.
unsafe impl Sync for SpscQueue {}

impl SpscQueue {
    fn new(publish: Ordering, observe: Ordering) -> Self {
        SpscQueue {
            value: [
                UnsafeCell::new(0).named("node0.value"),
                UnsafeCell::new(0).named("node1.value"),
            ],
            head: AtomicUsize::new(0).named("iHead"),
            tail: AtomicUsize::new(1).named("iTail"),
            publish,
            observe,
        }
    }

    /// `Produce(t)` into slot `at` (the producer knows where its tail is).
    fn produce(&self, at: usize, t: u64) {
        // A: add the new item.
        self.value[at].with_mut(|p| unsafe { *p = t });
        // B: publish it.
        self.tail.store(at + 1, self.publish);
    }

    /// `Consume(t)`: `iNext = iHead + 1; if (iNext != iTail) { iHead = iNext; t = *iHead; }`.
    fn consume(&self) -> Option<u64> {
        let next = self.head.load(self.observe) + 1;
        if next != self.tail.load(self.observe) {
            self.head.store(next, self.publish);
            Some(self.value[next].with(|p| unsafe { *p }))
        } else {
            None
        }
    }
}

fn describe(got: Option<u64>) -> String {
    match got {
        Some(v) => format!("bob got {v}"),
        None => "bob found the queue empty".to_string(),
    }
}

fn graded(name: &str, body: impl Fn() -> String + Send + Sync + 'static) -> Scenario<String> {
    Scenario::new(name, body).expect("bob got 42, or found the queue empty", |o: &String| {
        if o == "bob got 42" || o == "bob found the queue empty" {
            Grade::Acceptable
        } else {
            Grade::Forbidden
        }
    })
}

fn spsc(publish: Ordering, observe: Ordering) -> Scenario<String> {
    let name = if publish == Ordering::Relaxed {
        "a08::spsc_relaxed"
    } else {
        "a08::spsc_release_acquire"
    };
    graded(name, move || {
        let q = Arc::new(SpscQueue::new(publish, observe));
        let qa = Arc::clone(&q);
        let alice = thread::Builder::new()
            .name("alice")
            .spawn(move || qa.produce(1, 42))
            .unwrap();
        let qb = Arc::clone(&q);
        let bob = thread::Builder::new()
            .name("bob")
            .spawn(move || {
                for _ in 0..2 {
                    if let Some(v) = qb.consume() {
                        return Some(v);
                    }
                    thread::yield_now();
                }
                None
            })
            .unwrap();
        alice.join().unwrap();
        describe(bob.join().unwrap())
    })
}

fn channel() -> Scenario<String> {
    graded("a08::channel", || {
        let (tx, rx) = mpsc::channel_named::<u64>("queue");
        let alice = thread::Builder::new()
            .name("alice")
            // bob may give up (and drop the receiver) before alice sends:
            // the send then fails, and that is no bug of the queue. (Until
            // racelab's loom runs stopped treating every yield as "wait for
            // another thread's step", loom never showed that schedule.)
            .spawn(move || {
                let _ = tx.send(42);
            })
            .unwrap();
        let bob = thread::Builder::new()
            .name("bob")
            .spawn(move || {
                for _ in 0..2 {
                    if let Ok(v) = rx.try_recv() {
                        return Some(v);
                    }
                    thread::yield_now();
                }
                None
            })
            .unwrap();
        alice.join().unwrap();
        describe(bob.join().unwrap())
    })
}

#[test]
fn loom_relaxed_publication_races() {
    let report = common::explore(&spsc(Ordering::Relaxed, Ordering::Relaxed), &common::loom());
    report.assert_racy(Some(FailureKind::DataRace));
}

/// shuttle runs atomics as SeqCst and does not check plain cells: blind here.
#[test]
fn shuttle_relaxed_publication_is_invisible() {
    let report = common::explore(&spsc(Ordering::Relaxed, Ordering::Relaxed), &common::shuttle());
    report.assert_holds();
}

#[test]
fn loom_release_acquire_holds() {
    common::explore(&spsc(Ordering::Release, Ordering::Acquire), &common::loom()).assert_holds();
}

#[test]
fn shuttle_release_acquire_holds() {
    common::explore(&spsc(Ordering::Release, Ordering::Acquire), &common::shuttle()).assert_holds();
}

#[test]
fn loom_channel_holds() {
    common::explore(&channel(), &common::loom()).assert_holds();
}

#[test]
fn shuttle_channel_holds() {
    common::explore(&channel(), &common::shuttle()).assert_holds();
}
