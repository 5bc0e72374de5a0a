//! Silberschatz, Galvin & Gagne, *Operating System Concepts* (10th ed.),
//! §6.1 "Background": the producer and the consumer share `counter`
//! (initially 5); the producer runs `counter++`, the consumer `counter--`,
//! each compiled as `register = counter; register = register ± 1; counter =
//! register`. The book's interleaving T0..T5 (producer loads 5, consumer
//! loads 5, producer stores 6, consumer stores 4) leaves `counter == 4`; the
//! other order leaves 6; only 5 is right. (Quoted on many course pages, e.g.
//! <https://guptapreeti.blogspot.com/2012/03/bounded-buffer_7609.html>.)
//!
//! Transcription: `counter` is an `AtomicI32` and each register-level step
//! is one `SeqCst` load or store, so the only bug is the split
//! read-modify-write (no weak memory involved).
//!
//! # Teacher marks (written before the first run)
//! For the execution the book shows (both loads before either store):
//! - the **second** of the two `store counter` steps (in the book, the
//!   consumer's `store counter <- 4`): `lost_update`: "overwrites the other
//!   thread's store of step N: it was computed from `load counter -> 5`,
//!   read before that store, so the other thread's update is lost".
//!
//! No mark on the two loads on their own (they read the current value), on
//! the first store (it is the update that gets lost, not the mistake), on
//! the spawns, joins or main's final load.
//! Expected verdict: `forbidden outcome` (counter = 4 or 6) on both backends.

use racelab::explore::{FailureKind, Scenario};
use racelab::sync::atomic::{AtomicI32, Ordering};
use racelab::sync::{thread, Arc, Mutex};

use super::common;

fn racy() -> Scenario<i32> {
    Scenario::new("blind9a::osc_counter_racy", || {
        let counter = Arc::new(AtomicI32::new(5).named("counter"));
        let p = Arc::clone(&counter);
        let producer = thread::Builder::new()
            .name("producer")
            .spawn(move || {
                let register1 = p.load(Ordering::SeqCst);
                let register1 = register1 + 1;
                p.store(register1, Ordering::SeqCst);
            })
            .unwrap();
        let c = Arc::clone(&counter);
        let consumer = thread::Builder::new()
            .name("consumer")
            .spawn(move || {
                let register2 = c.load(Ordering::SeqCst);
                let register2 = register2 - 1;
                c.store(register2, Ordering::SeqCst);
            })
            .unwrap();
        producer.join().unwrap();
        consumer.join().unwrap();
        counter.load(Ordering::SeqCst)
    })
    .expect_only(5)
}

/// Control 1: each update is one read-modify-write (`fetch_add` /
/// `fetch_sub`), the hardware's atomic increment.
fn fixed_fetch_add() -> Scenario<i32> {
    Scenario::new("blind9a::osc_counter_fetch_add", || {
        let counter = Arc::new(AtomicI32::new(5).named("counter"));
        let p = Arc::clone(&counter);
        let producer = thread::Builder::new()
            .name("producer")
            .spawn(move || {
                p.fetch_add(1, Ordering::Relaxed);
            })
            .unwrap();
        let c = Arc::clone(&counter);
        let consumer = thread::Builder::new()
            .name("consumer")
            .spawn(move || {
                c.fetch_sub(1, Ordering::Relaxed);
            })
            .unwrap();
        producer.join().unwrap();
        consumer.join().unwrap();
        counter.load(Ordering::Relaxed)
    })
    .expect_only(5)
}

/// Control 2: the book's own answer, a critical section (a `Mutex`) around
/// each register-level sequence.
fn fixed_mutex() -> Scenario<i32> {
    Scenario::new("blind9a::osc_counter_mutex", || {
        let counter = Arc::new(Mutex::new(5).named("counter"));
        let p = Arc::clone(&counter);
        let producer = thread::Builder::new()
            .name("producer")
            .spawn(move || {
                let mut g = p.lock().unwrap();
                let register1 = *g + 1;
                *g = register1;
            })
            .unwrap();
        let c = Arc::clone(&counter);
        let consumer = thread::Builder::new()
            .name("consumer")
            .spawn(move || {
                let mut g = c.lock().unwrap();
                let register2 = *g - 1;
                *g = register2;
            })
            .unwrap();
        producer.join().unwrap();
        consumer.join().unwrap();
        let v = *counter.lock().unwrap();
        v
    })
    .expect_only(5)
}

#[test]
fn racy_loom() {
    let r = common::explore(&racy(), &common::loom());
    r.assert_racy(Some(FailureKind::ForbiddenOutcome));
}

#[test]
fn racy_shuttle() {
    let r = common::explore(&racy(), &common::shuttle());
    r.assert_racy(Some(FailureKind::ForbiddenOutcome));
}

#[test]
fn fixes_hold() {
    for s in [fixed_fetch_add(), fixed_mutex()] {
        common::explore(&s, &common::loom()).assert_holds();
        common::explore(&s, &common::shuttle()).assert_holds();
    }
}
