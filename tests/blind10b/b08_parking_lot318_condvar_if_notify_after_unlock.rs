//! # b08: a channel on parking_lot's Condvar, a late notify and an `if` instead of `while` (woken, acts without re-checking)
//!
//! **Source.** Amanieu/parking_lot issue #318, "Possible spurious wakeup with
//! Condvar" (<https://github.com/Amanieu/parking_lot/issues/318>, February
//! 2022). A user's channel panicked on an empty slot after a `Condvar`
//! wait, although parking_lot promises no spurious wake-ups; the user
//! noticed it went away when notifying with the mutex held ("I consider it
//! good practice to notify after unlocking the mutex"). Amanieu's answer:
//! "The spurious wakeup comes from your code because you don't hold the lock
//! while calling `notify_one`. Consider this ordering of operations: 1.
//! Sender grabs the lock, increments `write_pos` and then releases the
//! lock. 2. `Receiver::next` sees that" the value is there and takes it
//! without waiting; the receiver's next call finds nothing and waits, and
//! the sender's late `notify_one` — for the value already taken — wakes it.
//! (Qin et al., PLDI 2020, §6, list Condvar misuse among Rust's concurrency
//! bugs.)
//!
//! **The program, reduced.** A queue (`Mutex<VecDeque<u32>>`) and a
//! `Condvar`. Thread `sender` sends 1 then 2, each as: lock, push, unlock,
//! then `notify_one`. Thread `receiver` calls `next()` twice: lock; `if`
//! the queue is empty, wait; pop — trusting that a wake-up means a value
//! (as the user trusted "no spurious wakeups"). It must get `Some(1),
//! Some(2)`.
//!
//! **The bug.** `sender: push 1, unlock`; `receiver: next() pops 1`;
//! `receiver: next() finds [], waits`; `sender: notify_one` (meant for 1,
//! already taken) wakes it; `receiver` pops from `[]`: `None`.
//!
//! **Teacher marks.**
//! 1. `receiver`'s step after its wait (the re-lock on waking that finds
//!    `[]`, or the pop / unlock that follows), kind `stale_check`: "woken by
//!    the notify of step N, it acts without checking again: the value that
//!    notify announced was taken by its own earlier pop (step M); the queue
//!    is empty". Lenient: the mark on the `sender`'s `notify_one` naming that
//!    it arrives after the value it announces was consumed.
//!
//! No mark on the `sender`'s pushes, on the `receiver`'s first `next()`,
//! nor on a notify as lost (no notify is lost here: one is late).
//!
//! **Controls.** `wait_while` (a loop: re-check after every wake-up), and,
//! keeping the `if`, the sender notifying with the lock held (the user's
//! observation; a wake-up then always finds the value it announces, with
//! one receiver).

use std::collections::VecDeque;

use racelab::explore::{FailureKind, Scenario};
use racelab::sync::{thread, Arc, Condvar, Mutex};

use crate::common;

struct Chan {
    queue: Mutex<VecDeque<u32>>,
    cv: Condvar,
}

#[derive(Clone, Copy)]
enum Variant {
    /// `if` + notify after unlock (the issue).
    Racy,
    /// `wait_while` + notify after unlock.
    WaitWhile,
    /// `if` + notify with the lock held.
    NotifyUnderLock,
}

fn channel(name: &'static str, variant: Variant) -> Scenario<String> {
    Scenario::new(name, move || {
        let chan = Arc::new(Chan {
            queue: Mutex::new(VecDeque::new()).named("queue"),
            cv: Condvar::new().named("cv"),
        });
        let c = Arc::clone(&chan);
        let sender = thread::Builder::new()
            .name("sender")
            .spawn(move || {
                for v in [1, 2] {
                    let mut q = c.queue.lock().unwrap();
                    q.push_back(v);
                    match variant {
                        Variant::NotifyUnderLock => {
                            c.cv.notify_one();
                            drop(q);
                        }
                        _ => {
                            drop(q);
                            c.cv.notify_one();
                        }
                    }
                }
            })
            .unwrap();
        let c = Arc::clone(&chan);
        let receiver = thread::Builder::new()
            .name("receiver")
            .spawn(move || {
                let next = || {
                    let mut q = c.queue.lock().unwrap();
                    match variant {
                        Variant::WaitWhile => {
                            q = c.cv.wait_while(q, |q| q.is_empty()).unwrap();
                        }
                        _ => {
                            if q.is_empty() {
                                q = c.cv.wait(q).unwrap();
                            }
                        }
                    }
                    q.pop_front()
                };
                let a = next();
                let b = next();
                (a, b)
            })
            .unwrap();
        sender.join().unwrap();
        let (a, b) = receiver.join().unwrap();
        format!("received {a:?}, {b:?}")
    })
    .expect_only("received Some(1), Some(2)".to_string())
}

#[test]
fn b08_racy_loom() {
    let s = channel("blind10b::b08_condvar_if_racy", Variant::Racy);
    common::explore(&s, &common::loom()).assert_racy(Some(FailureKind::ForbiddenOutcome));
}

#[test]
fn b08_racy_shuttle() {
    let s = channel("blind10b::b08_condvar_if_racy", Variant::Racy);
    common::explore(&s, &common::shuttle()).assert_racy(Some(FailureKind::ForbiddenOutcome));
}

#[test]
fn b08_fixed_wait_while_holds() {
    let s = channel("blind10b::b08_condvar_wait_while", Variant::WaitWhile);
    common::explore(&s, &common::loom()).assert_holds();
    common::explore(&s, &common::shuttle()).assert_holds();
}

#[test]
fn b08_fixed_notify_under_lock_holds() {
    let s = channel("blind10b::b08_condvar_notify_under_lock", Variant::NotifyUnderLock);
    common::explore(&s, &common::loom()).assert_holds();
    common::explore(&s, &common::shuttle()).assert_holds();
}
