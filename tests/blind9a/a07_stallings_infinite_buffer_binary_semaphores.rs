//! Stallings, *Operating Systems: Internals and Design Principles* (8th/9th
//! eds.), §5.4 "Semaphores", The Producer/Consumer Problem, Fig. 5.9 "An
//! Incorrect Solution to the Infinite-Buffer Producer/Consumer Problem Using
//! Binary Semaphores" and Table 5.4 (its trace):
//!
//! ```text
//! int n; binary_semaphore s = 1, delay = 0;
//! producer: while (true) { produce(); semWaitB(s); append(); n++;
//!                          if (n==1) semSignalB(delay); semSignalB(s); }
//! consumer: semWaitB(delay);
//!           while (true) { semWaitB(s); take(); n--; semSignalB(s);
//!                          consume(); if (n==0) semWaitB(delay); }
//! ```
//!
//! Stallings: "the consumer has exhausted the buffer and set n to 0 (line
//! 8), [but] the producer has incremented n before the consumer can test it
//! in line 14. The result is a semSignalB not matched by a prior semWaitB.
//! The value of -1 for n in line 20 means that the consumer has consumed an
//! item from the buffer that does not exist." The fix (Fig. 5.10) copies n
//! into a local `m` inside the critical section and tests `m`.
//!
//! Transcription: three items. `s` and `delay` are `Semaphore`s (1 and 0;
//! racelab's semaphore counts, but in the book's trace `delay` is never
//! signalled while at 1, so the trace is the same); `n` is an `AtomicI32`
//! (`SeqCst`; every update of it is inside `s`, only the consumer's test is
//! outside); the buffer is a plain cell guarded by `s`. The consumer stops
//! after three takes (its last test would wait for a fourth item). A take
//! from the empty buffer is recorded as `EMPTY`.
//!
//! # Teacher marks (written before the first run)
//! For Stallings' execution (consumer takes item 1, `n <- 0`, releases `s`;
//! producer appends item 2, `n <- 1`, signals `delay`; consumer tests `n`
//! and reads 1, skips the wait; takes item 2, `n <- 0`; tests `n == 0`,
//! waits on `delay`, which passes on the left-over signal; takes from the
//! empty buffer):
//! - the consumer's `load n -> 1` (the test `if (n==0)` outside `s`):
//!   `atomicity_violation` (or `stale_check`): "the consumer's `n--` (step
//!   A, under s) and its test of n are split by the producer's `n++` (step
//!   B): it tests the producer's value, not its own, skips semWaitB(delay),
//!   and the producer's semSignalB(delay) is left unmatched";
//! - the consumer's third `take` (the `read`/`write buffer` that finds it
//!   empty), `order_violation`: "takes an item the producer has not
//!   appended yet (it appends at step C)". A mark instead on the consumer's
//!   `acquire delay` that passes on the left-over permit, saying so, is
//!   lenient.
//!
//! No mark on the updates of `n` inside `s` (they are protected), on the
//! producer's steps other than as the other end of a pair, on the consumer's
//! first `semWaitB(delay)` (right), on spawns or joins.
//! Expected verdict: `forbidden outcome` (the consumer took `EMPTY`) on both
//! backends.

use std::collections::VecDeque;

use racelab::explore::{FailureKind, Scenario};
use racelab::sync::atomic::{AtomicI32, Ordering};
use racelab::sync::cell::UnsafeCell;
use racelab::sync::{thread, Arc, Condvar, Mutex, Semaphore};

use super::common;

const ITEMS: u32 = 3;

struct Shared {
    s: Semaphore,
    delay: Semaphore,
    n: AtomicI32,
    buffer: UnsafeCell<VecDeque<u32>>,
}

// SAFETY: `buffer` is only reached between `s.acquire()` and `s.release()`;
// loom checks every access.
unsafe impl Sync for Shared {}

/// `fixed`: the consumer tests a copy `m` of n taken inside `s` (Fig. 5.10).
fn program(name: &str, fixed: bool) -> Scenario<String> {
    Scenario::new(name, move || {
        let sh = Arc::new(Shared {
            s: Semaphore::new(1).named("s"),
            delay: Semaphore::new(0).named("delay"),
            n: AtomicI32::new(0).named("n"),
            buffer: UnsafeCell::new(VecDeque::new()).named("buffer"),
        });
        let p = Arc::clone(&sh);
        let producer = thread::Builder::new()
            .name("producer")
            .spawn(move || {
                for item in 1..=ITEMS {
                    p.s.acquire(); // semWaitB(s)
                    p.buffer.with_mut(|b| unsafe { (*b).push_back(item) }); // append()
                    let n = p.n.load(Ordering::SeqCst);
                    p.n.store(n + 1, Ordering::SeqCst); // n++
                    if p.n.load(Ordering::SeqCst) == 1 {
                        p.delay.release(); // semSignalB(delay)
                    }
                    p.s.release(); // semSignalB(s)
                }
            })
            .unwrap();
        let c = Arc::clone(&sh);
        let consumer = thread::Builder::new()
            .name("consumer")
            .spawn(move || {
                let mut got = Vec::new();
                c.delay.acquire(); // semWaitB(delay)
                for k in 0..ITEMS {
                    c.s.acquire(); // semWaitB(s)
                    let item = c.buffer.with_mut(|b| unsafe { (*b).pop_front() }); // take()
                    let n = c.n.load(Ordering::SeqCst);
                    c.n.store(n - 1, Ordering::SeqCst); // n--
                    let m = if fixed { c.n.load(Ordering::SeqCst) } else { 0 };
                    c.s.release(); // semSignalB(s)
                    got.push(item.map_or("EMPTY".to_owned(), |i| i.to_string())); // consume()
                    if k + 1 < ITEMS {
                        let empty = if fixed { m == 0 } else { c.n.load(Ordering::SeqCst) == 0 };
                        if empty {
                            c.delay.acquire(); // semWaitB(delay)
                        }
                    }
                }
                got.join(" ")
            })
            .unwrap();
        producer.join().unwrap();
        consumer.join().unwrap()
    })
    .expect_only("1 2 3".to_owned())
}

fn racy() -> Scenario<String> {
    program("blind9a::stallings_infinite_buffer", false)
}

/// Control 1: Stallings' Fig. 5.10, the test on a copy made inside `s`.
fn fixed_local_copy() -> Scenario<String> {
    program("blind9a::stallings_infinite_buffer_m", true)
}

/// Control 2: a monitor: the count and the buffer under one `Mutex`, the
/// consumer waits on a `Condvar` while the buffer is empty.
fn fixed_monitor() -> Scenario<String> {
    Scenario::new("blind9a::stallings_infinite_buffer_monitor", || {
        let m = Arc::new((
            Mutex::new(VecDeque::<u32>::new()).named("buffer"),
            Condvar::new().named("nonempty"),
        ));
        let p = Arc::clone(&m);
        let producer = thread::Builder::new()
            .name("producer")
            .spawn(move || {
                for item in 1..=ITEMS {
                    p.0.lock().unwrap().push_back(item);
                    p.1.notify_one();
                }
            })
            .unwrap();
        let c = Arc::clone(&m);
        let consumer = thread::Builder::new()
            .name("consumer")
            .spawn(move || {
                let mut got = Vec::new();
                for _ in 0..ITEMS {
                    let g = c.0.lock().unwrap();
                    let mut g = c.1.wait_while(g, |b| b.is_empty()).unwrap();
                    let item = g.pop_front();
                    drop(g);
                    got.push(item.map_or("EMPTY".to_owned(), |i| i.to_string()));
                }
                got.join(" ")
            })
            .unwrap();
        producer.join().unwrap();
        consumer.join().unwrap()
    })
    .expect_only("1 2 3".to_owned())
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
    for s in [fixed_local_copy(), fixed_monitor()] {
        common::explore(&s, &common::loom()).assert_holds();
        common::explore(&s, &common::shuttle()).assert_holds();
    }
}
