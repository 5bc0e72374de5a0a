//! Tanenbaum & Bos, *Modern Operating Systems* (4th ed.), §2.3.7
//! "Monitors", opening paragraph, on the semaphore producer-consumer of
//! Fig. 2-28 (`down(&empty); down(&mutex); insert_item(item); up(&mutex);
//! up(&full);`): "Suppose that the two downs in the producer's code were
//! reversed in order, so mutex was decremented before empty instead of after
//! it. If the buffer were completely full, the producer would block, with
//! mutex set to 0. Consequently, the next time the consumer tried to access
//! the buffer, it would do a down on mutex, now 0, and block too. Both
//! processes would stay blocked forever and no more work would ever be
//! done. This unfortunate situation is called a deadlock."
//!
//! Transcription: N = 1 slot, two items; `mutex`, `empty` and `full` are
//! `Semaphore`s (1, N, 0); the buffer is a plain cell (`UnsafeCell`)
//! guarded by `mutex`, as in the book. The producer does `down(mutex);
//! down(empty)`; the consumer is the book's, unchanged.
//!
//! # Teacher marks (written before the first run)
//! For the book's execution (the producer fills the one slot, comes back,
//! takes `mutex`, blocks on `empty`; the consumer takes `full`, blocks on
//! `mutex`):
//! - the producer's blocked `acquire empty` (taken while it holds `mutex`):
//!   `deadlock`: "waits for a permit of empty, which only the consumer's
//!   up(empty) would give, while holding mutex (a cycle)";
//! - the consumer's blocked `acquire mutex`: `deadlock`: "waits for mutex,
//!   held by the producer, which waits for empty (a cycle)".
//!
//! No mark on the first item's steps, on `acquire full`, or on the
//! producer's `acquire mutex` itself (taking it is fine; taking it *before*
//! empty is the mistake, and the teacher would say so on the blocked
//! `acquire empty`). Expected verdict: `deadlock` on both backends.

use std::collections::VecDeque;

use racelab::explore::{FailureKind, Scenario};
use racelab::sync::cell::UnsafeCell;
use racelab::sync::{mpsc, thread, Arc, Semaphore};

use super::common;

const N: usize = 1;
const ITEMS: u32 = 2;

struct Shared {
    mutex: Semaphore,
    empty: Semaphore,
    full: Semaphore,
    buffer: UnsafeCell<VecDeque<u32>>,
}

// SAFETY: `buffer` is only reached between `mutex.acquire()` and
// `mutex.release()`; loom checks every access.
unsafe impl Sync for Shared {}

fn program(name: &str, reversed: bool) -> Scenario<String> {
    Scenario::new(name, move || {
        let s = Arc::new(Shared {
            mutex: Semaphore::new(1).named("mutex"),
            empty: Semaphore::new(N).named("empty"),
            full: Semaphore::new(0).named("full"),
            buffer: UnsafeCell::new(VecDeque::new()).named("buffer"),
        });
        let sp = Arc::clone(&s);
        let producer = thread::Builder::new()
            .name("producer")
            .spawn(move || {
                for item in 1..=ITEMS {
                    if reversed {
                        sp.mutex.acquire();
                        sp.empty.acquire();
                    } else {
                        sp.empty.acquire();
                        sp.mutex.acquire();
                    }
                    sp.buffer.with_mut(|b| unsafe { (*b).push_back(item) });
                    sp.mutex.release();
                    sp.full.release();
                }
            })
            .unwrap();
        let sc = Arc::clone(&s);
        let consumer = thread::Builder::new()
            .name("consumer")
            .spawn(move || {
                let mut got = Vec::new();
                for _ in 0..ITEMS {
                    sc.full.acquire();
                    sc.mutex.acquire();
                    let item = sc.buffer.with_mut(|b| unsafe { (*b).pop_front() });
                    sc.mutex.release();
                    sc.empty.release();
                    got.push(item.map_or("EMPTY".to_owned(), |i| i.to_string()));
                }
                got.join(" ")
            })
            .unwrap();
        producer.join().unwrap();
        consumer.join().unwrap()
    })
    .expect_only("1 2".to_owned())
}

fn racy() -> Scenario<String> {
    program("blind9a::mos_downs_reversed", true)
}

/// Control 1: the book's order, `down(empty)` before `down(mutex)`.
fn fixed_order() -> Scenario<String> {
    program("blind9a::mos_downs_in_order", false)
}

/// Control 2: a bounded channel of capacity N is the whole bounded buffer.
fn fixed_channel() -> Scenario<String> {
    Scenario::new("blind9a::mos_bounded_channel", || {
        let (tx, rx) = mpsc::sync_channel_named::<u32>("buffer", N);
        let producer = thread::Builder::new()
            .name("producer")
            .spawn(move || {
                for item in 1..=ITEMS {
                    tx.send(item).unwrap();
                }
            })
            .unwrap();
        let consumer = thread::Builder::new()
            .name("consumer")
            .spawn(move || {
                let got: Vec<String> = (0..ITEMS)
                    .map(|_| rx.recv().map_or("EMPTY".to_owned(), |i| i.to_string()))
                    .collect();
                got.join(" ")
            })
            .unwrap();
        producer.join().unwrap();
        consumer.join().unwrap()
    })
    .expect_only("1 2".to_owned())
}

#[test]
fn racy_loom() {
    let r = common::explore(&racy(), &common::loom());
    r.assert_racy(Some(FailureKind::Deadlock));
}

#[test]
fn racy_shuttle() {
    let r = common::explore(&racy(), &common::shuttle());
    r.assert_racy(Some(FailureKind::Deadlock));
}

#[test]
fn fixes_hold() {
    for s in [fixed_order(), fixed_channel()] {
        common::explore(&s, &common::loom()).assert_holds();
        common::explore(&s, &common::shuttle()).assert_holds();
    }
}
