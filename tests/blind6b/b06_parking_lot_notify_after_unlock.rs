//! # A notify sent after unlocking wakes the receiver's *next* wait
//!
//! **Source.** Amanieu/parking_lot#318 "Possible spurious wakeup with
//! Condvar" (<https://github.com/Amanieu/parking_lot/issues/318>), an SPSC
//! channel whose receiver asserted that a wakeup always means new data
//! (parking_lot documents "no spurious wakeups"), and whose sender notified
//! after dropping the lock. The maintainer's answer: "The spurious wakeup
//! comes from your code because you don't hold the lock while calling
//! `notify_one`. Consider this ordering of operations: 1. Sender grabs the
//! lock, increments `write_pos` and then releases the lock. 2.
//! `Receiver::next` sees that [`write_pos` moved, and takes the item without
//! waiting; its next call waits; then the sender's late `notify_one` wakes
//! that wait, with nothing new to read]." The reporter: "I cannot reproduce
//! the panic if I remove `drop(locked)` and `drop(sender_live)`, i.e. if I
//! notify the condvar with the mutex held."
//!
//! **The program.** `Shared { write_pos: AtomicU64, send_update: (Mutex<bool>
//! /* sender live */, Condvar) }`. The sender sends one item (under the
//! lock: `write_pos += 1`; then `drop(locked)`; then `notify_one()`), then
//! is dropped (under the lock: live = false; `drop(sender_live)`;
//! `notify_one()`). The receiver calls `next()` twice; `next` calls
//! `wait_send`, which under the lock waits once *if* there is nothing to
//! read and the sender is live, then asserts that there is something to read
//! or the sender is gone (the assertion: no spurious wakeups), and
//! then reads if `write_pos` moved. The first `next` returns the item, the
//! second `None` (sender gone).
//!
//! **The bug.** The sender stores `write_pos` and unlocks; the receiver,
//! before the sender's `notify_one`, sees the item and takes it, then calls
//! `next` again and waits (nothing to read, sender live); the sender's late
//! `notify_one` (meant for the item already taken) wakes that wait; the
//! receiver finds nothing new and the sender still live: the assertion
//! fails ("spurious wakeup"). Under the model this is a panic.
//!
//! **Teacher marks:**
//! - **T1** `stale_check` (a teacher accepts `lost_wakeup` "wakes ... the
//!   wrong wait" or `order_violation` for the same sentence), on the
//!   receiver's first step after its wait returns (the re-lock, or the `load
//!   write_pos -> 1` that the assertion reads): "woken by the sender's
//!   `notify_one` of step N, sent for the item the receiver already took at
//!   step M (it saw `write_pos` = 1 before that notify): this wait was never
//!   notified for anything new; `if` instead of `while` turns the stale
//!   notify into a failed assertion." A mark on the sender's `notify_one`
//!   that names the receiver's second wait is lenient.
//!
//! No mark belongs on: the sender's locked `store write_pos` (correct, under
//! the lock), the receiver's first `next` (it legitimately takes the item
//! without waiting), the sender's drop (it never runs before the panic).
//!
//! **Controls.** (1) The reporter's fix: notify while holding the lock (the
//! receiver can then only see the new `write_pos` after the notify has been
//! delivered). (2) std's advice: wait in a `while` loop that re-checks the
//! condition (the late notify is then harmless), notify still after unlock.

use crate::common;
use racelab::explore::{FailureKind, Scenario};
use racelab::sync::atomic::{AtomicU64, Ordering::SeqCst};
use racelab::sync::{thread, Arc, Condvar, Mutex};

struct Shared {
    write_pos: AtomicU64,
    /// bool: whether the sender is still live.
    send_update: (Mutex<bool>, Condvar),
}

#[derive(Clone, Copy)]
enum Variant {
    /// The code: notify after unlocking, wait once under `if`.
    Racy,
    /// Notify while holding the lock.
    NotifyLocked,
    /// Wait in a `while` loop.
    WhileLoop,
}

struct Sender {
    shared: Arc<Shared>,
    variant: Variant,
}

impl Sender {
    fn send(&mut self, _item: u32) {
        let locked = self.shared.send_update.0.lock().unwrap();
        let write_pos = self.shared.write_pos.load(SeqCst);
        // here we'd write the item
        self.shared.write_pos.store(write_pos + 1, SeqCst);
        match self.variant {
            Variant::NotifyLocked => {
                self.shared.send_update.1.notify_one();
                drop(locked);
            }
            _ => {
                drop(locked);
                self.shared.send_update.1.notify_one();
            }
        }
    }
}

impl Drop for Sender {
    fn drop(&mut self) {
        let mut sender_live = self.shared.send_update.0.lock().unwrap();
        *sender_live = false;
        match self.variant {
            Variant::NotifyLocked => {
                self.shared.send_update.1.notify_one();
                drop(sender_live);
            }
            _ => {
                drop(sender_live);
                self.shared.send_update.1.notify_one();
            }
        }
    }
}

struct Receiver {
    read_pos: u64,
    shared: Arc<Shared>,
    variant: Variant,
}

impl Receiver {
    fn wait_send(&self) {
        let (lock, cvar) = &self.shared.send_update;
        let mut sender_live = lock.lock().unwrap();
        match self.variant {
            Variant::WhileLoop => {
                while self.shared.write_pos.load(SeqCst) == self.read_pos && *sender_live {
                    sender_live = cvar.wait(sender_live).unwrap();
                }
            }
            _ => {
                if self.shared.write_pos.load(SeqCst) == self.read_pos && *sender_live {
                    sender_live = cvar.wait(sender_live).unwrap();
                    assert!(
                        self.shared.write_pos.load(SeqCst) > self.read_pos || !*sender_live,
                        "spurious wakeup: nothing to read and the sender is still live"
                    );
                }
            }
        }
    }

    fn next(&mut self) -> Option<u32> {
        self.wait_send();
        if self.shared.write_pos.load(SeqCst) > self.read_pos {
            self.read_pos += 1;
            Some(1)
        } else {
            None
        }
    }
}

fn channel(name: &str, variant: Variant) -> Scenario<String> {
    Scenario::new(name, move || {
        let shared = Arc::new(Shared {
            write_pos: AtomicU64::new(0).named("write_pos"),
            send_update: (
                Mutex::new(true).named("sender_live"),
                Condvar::new().named("send_update"),
            ),
        });
        let mut sender = Sender {
            shared: Arc::clone(&shared),
            variant,
        };
        let mut receiver = Receiver {
            read_pos: 0,
            shared,
            variant,
        };
        let s = thread::Builder::new()
            .name("sender")
            .spawn(move || {
                sender.send(1);
                drop(sender);
            })
            .unwrap();
        let r = thread::Builder::new()
            .name("receiver")
            .spawn(move || {
                let first = receiver.next();
                let second = receiver.next();
                format!("{first:?} then {second:?}")
            })
            .unwrap();
        s.join().unwrap();
        r.join().unwrap()
    })
    .expect_only("Some(1) then None".to_string())
}

#[test]
fn notify_after_unlock_racy_loom() {
    common::explore(
        &channel("blind6b::notify_after_unlock_racy", Variant::Racy),
        &common::loom(),
    )
    .assert_racy(Some(FailureKind::Panic));
}

#[test]
fn notify_after_unlock_racy_shuttle() {
    common::explore(
        &channel("blind6b::notify_after_unlock_racy", Variant::Racy),
        &common::shuttle(),
    )
    .assert_racy(Some(FailureKind::Panic));
}

#[test]
fn notify_locked_holds_loom() {
    common::explore(
        &channel("blind6b::notify_locked", Variant::NotifyLocked),
        &common::loom(),
    )
    .assert_holds();
}

#[test]
fn notify_locked_holds_shuttle() {
    common::explore(
        &channel("blind6b::notify_locked", Variant::NotifyLocked),
        &common::shuttle(),
    )
    .assert_holds();
}

#[test]
fn while_loop_holds_loom() {
    common::explore(
        &channel("blind6b::notify_while_loop", Variant::WhileLoop),
        &common::loom(),
    )
    .assert_holds();
}

#[test]
fn while_loop_holds_shuttle() {
    common::explore(
        &channel("blind6b::notify_while_loop", Variant::WhileLoop),
        &common::shuttle(),
    )
    .assert_holds();
}
