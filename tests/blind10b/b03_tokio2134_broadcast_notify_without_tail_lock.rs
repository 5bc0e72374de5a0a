//! # b03: tokio's broadcast channel, a receiver's notify sent without the tail lock (a lost wake-up)
//!
//! **Source.** tokio-rs/tokio pull request #2134, "broadcast: Fix sender
//! lost wakeup bug" (<https://github.com/tokio-rs/tokio/pull/2134>, January
//! 2020): "`condvar.notify_one()` is called without holding the tail mutex
//! causing the notification to be lost and leaving the sender waiting"
//! (part of issue #2123), fixed in commit f9ea576 "sync: fix broadcast bugs
//! (#2135)": "Make sure the tail mutex is acquired when `condvar` is
//! notified, otherwise the wakeup may be lost and the sender could be left
//! waiting." The code before the fix (`tokio/src/sync/broadcast.rs`): the
//! sender, holding `tail`, takes the slot's write bit with
//! `slot.lock.fetch_add(1, SeqCst)` and, while readers hold the slot
//! (`prev & !1 != 0`), waits with `tail = condvar.wait(tail)`; a receiver
//! done reading runs `rx_unlock`: `let prev = self.lock.fetch_sub(2,
//! SeqCst); if prev & 1 == 1 { condvar.notify_one(); }`, without `tail`.
//! Qin et al., PLDI 2020, §6.1, list Condvar misuse among Rust's blocking
//! bugs.
//!
//! **The program, reduced.** One slot whose `lock` word counts 2 per reader
//! and has bit 0 for a waiting writer; it starts at 2: receiver `rx` is in
//! the middle of reading the slot. Thread `tx` sends into that slot (the
//! code above, then writes and releases the slot with `store 0`); thread
//! `rx` finishes its read with `rx_unlock`.
//!
//! **The bug.** `tx: lock tail`, `tx: fetch_add lock (2 -> 3)` sees a reader
//! and will wait; before it does, `rx: fetch_sub lock (3 -> 1)` sees the
//! writer bit and calls `notify_one` — nobody is waiting yet, the
//! notification is lost; `tx: wait condvar` then sleeps forever. `main`'s
//! join of `tx` never returns: a deadlock.
//!
//! **Teacher marks.**
//! 1. `rx`'s `notify_one condvar`, kind `lost_wakeup`: "this notify comes
//!    before tx's wait (step N) and wakes nobody: tx had seen the reader at
//!    step M and was about to wait; rx notified without the tail lock, which
//!    tx held from its check to its wait".
//! 2. `tx`'s `wait condvar` (the blocked step), kind `deadlock` or
//!    `lost_wakeup`: "tx waits for a notify that already happened; nobody is
//!    left to notify".
//!
//! No mark on `rx`'s `fetch_sub` as a lost update or stale read (it is an
//! atomic read-modify-write that reads the latest value), nor on the setup.
//!
//! **Controls.** The fix of #2135: `rx` takes (and at once drops, as in
//! tokio's `let _ = tail.lock().unwrap();`) the tail lock before notifying,
//! which it can only do once `tx` waits; and a `Semaphore` (a different
//! primitive) for "the last reader left", whose permit is not lost when it
//! is released before the sender acquires it.

use racelab::explore::{FailureKind, Scenario};
use racelab::sync::atomic::{AtomicUsize, Ordering::SeqCst};
use racelab::sync::{thread, Arc, Condvar, Mutex, Semaphore};

use crate::common;

struct Shared {
    /// The tail position (the sender's mutex).
    tail: Mutex<u64>,
    condvar: Condvar,
    /// The slot's lock word: 2 per reader, bit 0 = a writer waits.
    slot_lock: AtomicUsize,
    /// The value in the slot.
    slot_val: AtomicUsize,
}

fn shared() -> Arc<Shared> {
    Arc::new(Shared {
        tail: Mutex::new(0).named("tail"),
        condvar: Condvar::new().named("condvar"),
        // rx is reading the slot.
        slot_lock: AtomicUsize::new(2).named("slot.lock"),
        slot_val: AtomicUsize::new(0).named("slot.val"),
    })
}

/// Sender::send, before the fix.
fn send(s: &Shared, value: usize) {
    let mut tail = s.tail.lock().unwrap();
    *tail += 1;
    // Acquire the write lock
    let mut prev = s.slot_lock.fetch_add(1, SeqCst);
    while prev & !1 != 0 {
        // Concurrent readers, we must go to sleep
        tail = s.condvar.wait(tail).unwrap();
        prev = s.slot_lock.load(SeqCst);
    }
    s.slot_val.store(value, SeqCst);
    // Release the slot lock
    s.slot_lock.store(0, SeqCst);
    drop(tail);
}

fn racy() -> Scenario<String> {
    Scenario::new("blind10b::b03_broadcast_racy", || {
        let s = shared();
        let s2 = Arc::clone(&s);
        let tx = thread::Builder::new().name("tx").spawn(move || send(&s2, 42)).unwrap();
        let s3 = Arc::clone(&s);
        let rx = thread::Builder::new()
            .name("rx")
            .spawn(move || {
                // Slot::rx_unlock, before the fix
                let prev = s3.slot_lock.fetch_sub(2, SeqCst);
                if prev & 1 == 1 {
                    // Sender waiting for lock
                    s3.condvar.notify_one();
                }
            })
            .unwrap();
        rx.join().unwrap();
        tx.join().unwrap();
        format!("slot = {}", s.slot_val.load(SeqCst))
    })
    .expect_only("slot = 42".to_string())
}

fn fixed_lock_before_notify() -> Scenario<String> {
    Scenario::new("blind10b::b03_broadcast_lock_before_notify", || {
        let s = shared();
        let s2 = Arc::clone(&s);
        let tx = thread::Builder::new().name("tx").spawn(move || send(&s2, 42)).unwrap();
        let s3 = Arc::clone(&s);
        let rx = thread::Builder::new()
            .name("rx")
            .spawn(move || {
                // Slot::rx_unlock, after #2135
                if 1 == s3.slot_lock.fetch_sub(2, SeqCst) - 2 {
                    // First acquire the lock to make sure our sender is
                    // waiting on the condition variable (tokio wrote
                    // `let _ = tail.lock().unwrap();`, which drops at once).
                    drop(s3.tail.lock().unwrap());
                    s3.condvar.notify_all();
                }
            })
            .unwrap();
        rx.join().unwrap();
        tx.join().unwrap();
        format!("slot = {}", s.slot_val.load(SeqCst))
    })
    .expect_only("slot = 42".to_string())
}

fn fixed_semaphore() -> Scenario<String> {
    Scenario::new("blind10b::b03_broadcast_semaphore", || {
        let s = shared();
        // A permit for "the readers have left the slot".
        let readers_gone = Arc::new(Semaphore::new(0).named("readers_gone"));
        let (s2, g2) = (Arc::clone(&s), Arc::clone(&readers_gone));
        let tx = thread::Builder::new()
            .name("tx")
            .spawn(move || {
                let mut tail = s2.tail.lock().unwrap();
                *tail += 1;
                let prev = s2.slot_lock.fetch_add(1, SeqCst);
                if prev & !1 != 0 {
                    g2.acquire();
                }
                s2.slot_val.store(42, SeqCst);
                s2.slot_lock.store(0, SeqCst);
                drop(tail);
            })
            .unwrap();
        let (s3, g3) = (Arc::clone(&s), Arc::clone(&readers_gone));
        let rx = thread::Builder::new()
            .name("rx")
            .spawn(move || {
                if 1 == s3.slot_lock.fetch_sub(2, SeqCst) - 2 {
                    g3.release();
                }
            })
            .unwrap();
        rx.join().unwrap();
        tx.join().unwrap();
        format!("slot = {}", s.slot_val.load(SeqCst))
    })
    .expect_only("slot = 42".to_string())
}

#[test]
fn b03_racy_loom() {
    let report = common::explore(&racy(), &common::loom());
    report.assert_racy(Some(FailureKind::Deadlock));
}

#[test]
fn b03_racy_shuttle() {
    let report = common::explore(&racy(), &common::shuttle());
    report.assert_racy(Some(FailureKind::Deadlock));
}

#[test]
fn b03_fixed_lock_before_notify_holds() {
    common::explore(&fixed_lock_before_notify(), &common::loom()).assert_holds();
    common::explore(&fixed_lock_before_notify(), &common::shuttle()).assert_holds();
}

#[test]
fn b03_fixed_semaphore_holds() {
    common::explore(&fixed_semaphore(), &common::loom()).assert_holds();
    common::explore(&fixed_semaphore(), &common::shuttle()).assert_holds();
}
