//! # b02: lazy initialisation through a pointer, with a Relaxed failure ordering
//!
//! **Source.** Mara Bos, *Rust Atomics and Locks*, chapter 3 "Memory
//! Ordering", section "Release and Acquire Ordering", "Example: Lazy
//! Initialization with Indirection"
//! (<https://marabos.nl/atomics/memory-ordering.html>; the book's code:
//! `examples/ch3-09-lazy-init-box.rs` in github.com/m-ou-se/rust-atomics-and-locks).
//! `get_data()` loads a static `AtomicPtr<Data>` with `Acquire`; if it is
//! null it builds the data in a `Box`, and tries
//! `compare_exchange(null, p, Release, Acquire)`; the loser of that race
//! frees its own box and uses the winner's pointer `e`. The text explains
//! that the success ordering must be `Release` (to publish the data) and
//! that both the load and the compare-exchange's *failure* ordering must be
//! `Acquire`, since in both cases the thread goes on to read data another
//! thread wrote.
//!
//! **The program.** alice and bob each call `get_data()` once and read the
//! value. `Data` is one `UnsafeCell<u64>` that `generate_data()` fills with
//! 123 (a tracked write right after the cell is made). The transcription
//! weakens exactly one ordering: the failure ordering of the
//! compare-exchange is `Relaxed` (a natural slip: "it failed, nothing was
//! written, why order it?").
//!
//! **The bug.** Both threads load null; alice's compare-exchange wins
//! (Release); bob's fails and reads alice's pointer with a Relaxed load, so
//! nothing makes alice's write of her data happen before bob's read of it:
//! a data race on alice's data (loom). shuttle runs every atomic as `SeqCst`
//! and does not check plain accesses, so it cannot see this bug: the
//! expected verdict there is that the scenario holds (0 teacher marks).
//!
//! **Teacher marks (written before the first run).**
//! - loom (verdict: data race). Two marks.
//!   1. bob's failed `compare_exchange ptr` (the one that returned alice's
//!      pointer), kind `no_sync`: "this compare-exchange failed and read
//!      alice's pointer with a Relaxed failure ordering: it does not
//!      synchronise with alice's Release compare-exchange (step N), so her
//!      write of the data is not ordered before bob's read".
//!   2. bob's read of alice's `data`, kind `data_race`: "races with alice's
//!      write of data at step N". Lenient: the mark on alice's write naming
//!      bob's read.
//! - shuttle: cannot see it (SeqCst atomics, no race detector): 0 marks;
//!   the verdict is right if it holds.
//! - No mark belongs on: the two Acquire loads that return null, bob's
//!   building and freeing of his own box, alice's winning compare-exchange
//!   (it is correct), main's final read and free.
//!
//! **Controls.** (1) The book's code: failure ordering `Acquire`. (2) A
//! different primitive: the facade's `OnceLock::get_or_init`.

use std::ptr;

use racelab::explore::{FailureKind, Scenario};
use racelab::sync::atomic::{AtomicPtr, Ordering, Ordering::Acquire, Ordering::Release};
use racelab::sync::cell::UnsafeCell;
use racelab::sync::{thread, Arc, OnceLock};

use crate::common;

struct Data {
    value: UnsafeCell<u64>,
}

// Safety: the data is written once, before it is published, and only read
// afterwards (which is what the orderings must guarantee).
unsafe impl Sync for Data {}
unsafe impl Send for Data {}

/// The book's `generate_data()`: the value is written after the cell is
/// made, so the write is a tracked access.
fn generate_data(who: &str) -> Data {
    let d = Data {
        value: UnsafeCell::new(0).named(format!("{who}'s data")),
    };
    d.value.with_mut(|p| unsafe { *p = 123 });
    d
}

/// The book's `get_data()`, with the compare-exchange's failure ordering
/// as a parameter (`Acquire` in the book).
fn get_data<'a>(slot: &'a AtomicPtr<Data>, who: &str, failure: Ordering) -> &'a Data {
    let mut p = slot.load(Acquire);
    if p.is_null() {
        p = Box::into_raw(Box::new(generate_data(who)));
        if let Err(e) = slot.compare_exchange(ptr::null_mut(), p, Release, failure) {
            // Safety: p comes from Box::into_raw right above, and was not
            // shared with any other thread.
            drop(unsafe { Box::from_raw(p) });
            p = e;
        }
    }
    // Safety: p is not null and points to a value initialised by whoever
    // published it (if the orderings are right).
    unsafe { &*p }
}

fn scenario(name: &str, failure: Ordering) -> Scenario<String> {
    Scenario::new(name, move || {
        let slot = Arc::new(AtomicPtr::new(ptr::null_mut()).named("ptr"));
        let handles: Vec<_> = ["alice", "bob"]
            .into_iter()
            .map(|who| {
                let s = Arc::clone(&slot);
                thread::Builder::new()
                    .name(who)
                    .spawn(move || {
                        let d = get_data(&s, who, failure);
                        d.value.with(|p| unsafe { *p })
                    })
                    .unwrap()
            })
            .collect();
        let seen: Vec<u64> = handles.into_iter().map(|h| h.join().unwrap()).collect();
        let p = slot.load(Acquire);
        // Safety: every thread is joined; the winner's box is freed once.
        drop(unsafe { Box::from_raw(p) });
        format!("alice {}, bob {}", seen[0], seen[1])
    })
    .expect_only("alice 123, bob 123".to_string())
}

/// Control 2: `OnceLock`.
fn once_lock_control() -> Scenario<String> {
    Scenario::new("b02::once_lock", || {
        let cell: Arc<OnceLock<u64>> = Arc::new(OnceLock::new().named("data"));
        let handles: Vec<_> = ["alice", "bob"]
            .into_iter()
            .map(|who| {
                let c = Arc::clone(&cell);
                thread::Builder::new()
                    .name(who)
                    .spawn(move || *c.get_or_init(|| 123))
                    .unwrap()
            })
            .collect();
        let seen: Vec<u64> = handles.into_iter().map(|h| h.join().unwrap()).collect();
        format!("alice {}, bob {}", seen[0], seen[1])
    })
    .expect_only("alice 123, bob 123".to_string())
}

#[test]
fn loom_racy() {
    let report = common::explore(&scenario("b02::relaxed_failure", Ordering::Relaxed), &common::loom());
    report.assert_racy(Some(FailureKind::DataRace));
}

#[test]
fn shuttle_blind() {
    // shuttle cannot see a weak-memory race: its verdict is that it holds.
    let report = common::explore(&scenario("b02::relaxed_failure", Ordering::Relaxed), &common::shuttle());
    report.assert_holds();
}

#[test]
fn loom_control_acquire_failure() {
    common::explore(&scenario("b02::acquire_failure", Acquire), &common::loom()).assert_holds();
}

#[test]
fn shuttle_control_acquire_failure() {
    common::explore(&scenario("b02::acquire_failure", Acquire), &common::shuttle()).assert_holds();
}

#[test]
fn loom_control_once_lock() {
    common::explore(&once_lock_control(), &common::loom()).assert_holds();
}

#[test]
fn shuttle_control_once_lock() {
    common::explore(&once_lock_control(), &common::shuttle()).assert_holds();
}
