//! Single-producer single-consumer ring buffer with `Relaxed` head/tail
//! (the classic Lamport queue ported without orderings; Rust Atomics and
//! Locks ch. 3 and 5): the producer writes the slot, then bumps `tail` with
//! `Relaxed`; the consumer sees `tail` moved (`Relaxed`) and reads the slot.
//! Nothing orders the slot write before the slot read: a data race (loom).
//! Shuttle treats every atomic as SeqCst and does not detect data races on
//! cells, so it is expected to be blind here.
//!
//! Teacher marks (written before looking at racelab's marks):
//! 1. consumer's read of `slot0`: data race with producer's write of
//!    `slot0` (or the write, if loom orders it second).
//! 2. consumer's `load tail` (Relaxed) — or producer's `store tail`
//!    (Relaxed): missing synchronisation (the Relaxed access that should
//!    have been Acquire/Release).
//! Total: 2 marks.

use racelab::explore::{Explorer, Grade, Scenario};
use racelab::sync::atomic::{AtomicUsize, Ordering::Relaxed};
use racelab::sync::cell::UnsafeCell;
use racelab::sync::{thread, Arc};

struct Ring {
    slot0: UnsafeCell<u32>,
    head: AtomicUsize,
    tail: AtomicUsize,
}
unsafe impl Sync for Ring {}

fn scenario() -> Scenario<String> {
    Scenario::new("blind2::spsc_ring_relaxed", || {
        let r = Arc::new(Ring {
            slot0: UnsafeCell::new(0).named("slot0"),
            head: AtomicUsize::new(0).named("head"),
            tail: AtomicUsize::new(0).named("tail"),
        });
        let r2 = r.clone();
        let producer = thread::Builder::new()
            .name("producer")
            .spawn(move || {
                let t = r2.tail.load(Relaxed);
                r2.slot0.with_mut(|p| unsafe { *p = 42 });
                r2.tail.store(t + 1, Relaxed);
            })
            .unwrap();
        let consumer = thread::Builder::new()
            .name("consumer")
            .spawn(move || {
                let h = r.head.load(Relaxed);
                if r.tail.load(Relaxed) != h {
                    let v = r.slot0.with(|p| unsafe { *p });
                    r.head.store(h + 1, Relaxed);
                    Some(v)
                } else {
                    None
                }
            })
            .unwrap();
        producer.join().unwrap();
        format!("consumer got {:?}", consumer.join().unwrap())
    })
    .expect("None or Some(42)", |o: &String| {
        if o.ends_with("None") || o.ends_with("Some(42)") {
            Grade::Acceptable
        } else {
            Grade::Forbidden
        }
    })
}

#[test]
fn loom() {
    super::common::run(&scenario(), &Explorer::loom()).assert_racy(None);
}

#[test]
fn shuttle() {
    // Expected blind (SeqCst everywhere, no race detector on cells):
    // asserted as found by neither? We assert whatever it does below and
    // report it: the verdict is printed.
    let r = super::common::run(&scenario(), &Explorer::shuttle());
    println!(
        "SHUTTLE VERDICT spsc_ring_relaxed: failure = {:?}",
        r.failure.as_ref().map(|f| f.kind)
    );
    r.assert_holds();
}
