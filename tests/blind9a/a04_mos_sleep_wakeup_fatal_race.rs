//! Tanenbaum & Bos, *Modern Operating Systems* (4th ed.), §2.3.4 "Sleep and
//! Wakeup", Fig. 2-27 "The producer-consumer problem with a fatal race
//! condition". `count` is shared without protection. Producer: `if (count
//! == N) sleep(); insert_item(item); count = count + 1; if (count == 1)
//! wakeup(consumer);`. Consumer: `if (count == 0) sleep(); item =
//! remove_item(); count = count - 1; if (count == N - 1) wakeup(producer);`.
//! The book: "The buffer is empty and the consumer has just read count to see
//! if it is 0. At that instant, the scheduler decides to stop running the
//! consumer temporarily and start running the producer. The producer
//! inserts an item in the buffer, increments count, and notices that it is
//! now 1. Reasoning that count was just 0, and thus the consumer must be
//! sleeping, the producer calls wakeup to wake the consumer up.
//! Unfortunately, the consumer is not yet logically asleep, so the wakeup
//! signal is lost. When the consumer next runs, it will test the value of
//! count it previously read, find it to be 0, and go to sleep. Sooner or
//! later the producer will fill up the buffer and also go to sleep. Both
//! will sleep forever." (Also retold at
//! <http://scanftree.com/operating-system/sleep-and-wakeup-problem>.)
//!
//! Transcription: N = 1, two items. `count` is an `AtomicI32` with `SeqCst`
//! loads and stores (`count = count + 1` is a load then a store, as in C).
//! `sleep()` and `wakeup(p)` are the kernel calls: each process has a bed (a
//! `Mutex<()>` and a `Condvar`); `sleep` waits on its own bed once, `wakeup`
//! notifies the other's bed, and a wakeup sent to a process that is not
//! waiting is lost, as in the book. `insert_item`/`remove_item` are atomic
//! procedures (a `Mutex<VecDeque>`), so only `count` and the sleeps race.
//!
//! # Teacher marks (written before the first run)
//! For the book's execution (consumer `load count -> 0`; producer inserts,
//! `store count <- 1`, `load count -> 1`, wakes the consumer; producer sees
//! `count == N` and sleeps; consumer sleeps):
//! - the producer's `notify_one consumer_bed` (its `wakeup(consumer)`):
//!   `lost_wakeup`: "lost wake-up: the consumer checked count == 0 (step N)
//!   but does not wait until step M: nobody is asleep to receive it".
//! - the consumer's `wait consumer_bed` (its `sleep()`): `stale_check`
//!   (acts on the check `load count -> 0` of step N, which the producer's
//!   `store count <- 1` changed before it). A mark on the `load count -> 0`
//!   naming the producer's store counts as lenient.
//!
//! No mark on the producer's own `sleep()` (its check `count == N` is true
//! and stays true: it sleeps rightly, and is stuck only because the consumer
//! is), on `insert_item`/`remove_item`, spawns or joins. A `deadlock` mark on
//! the final waits is not wrong if what it says is true; noted, not counted.
//! Expected verdict: `deadlock` on both backends (both processes asleep).

use std::collections::VecDeque;

use racelab::explore::{FailureKind, Scenario};
use racelab::sync::atomic::{AtomicI32, Ordering};
use racelab::sync::{thread, Arc, Condvar, Mutex, Semaphore};

use super::common;

const N: i32 = 1;
const ITEMS: u32 = 2;

/// A process's bed: `sleep()` waits on it, `wakeup()` notifies it.
struct Bed {
    lock: Mutex<()>,
    wake: Condvar,
}

impl Bed {
    fn new(name: &str) -> Self {
        Bed {
            lock: Mutex::new(()).named(format!("{name}_lock")),
            wake: Condvar::new().named(format!("{name}_bed")),
        }
    }

    /// `sleep()`: block until someone wakes this process.
    fn sleep(&self) {
        let g = self.lock.lock().unwrap();
        let _g = self.wake.wait(g).unwrap();
    }

    /// `wakeup(p)`: wakes `p` if it sleeps; otherwise the call is lost.
    fn wakeup(&self) {
        let _g = self.lock.lock().unwrap();
        self.wake.notify_one();
    }
}

struct Shared {
    count: AtomicI32,
    buffer: Mutex<VecDeque<u32>>,
    producer: Bed,
    consumer: Bed,
}

fn racy() -> Scenario<String> {
    Scenario::new("blind9a::mos_sleep_wakeup", || {
        let s = Arc::new(Shared {
            count: AtomicI32::new(0).named("count"),
            buffer: Mutex::new(VecDeque::new()).named("buffer"),
            producer: Bed::new("producer"),
            consumer: Bed::new("consumer"),
        });
        let sp = Arc::clone(&s);
        let producer = thread::Builder::new()
            .name("producer")
            .spawn(move || {
                for item in 1..=ITEMS {
                    if sp.count.load(Ordering::SeqCst) == N {
                        sp.producer.sleep();
                    }
                    sp.buffer.lock().unwrap().push_back(item); // insert_item
                    let c = sp.count.load(Ordering::SeqCst);
                    sp.count.store(c + 1, Ordering::SeqCst);
                    if sp.count.load(Ordering::SeqCst) == 1 {
                        sp.consumer.wakeup();
                    }
                }
            })
            .unwrap();
        let sc = Arc::clone(&s);
        let consumer = thread::Builder::new()
            .name("consumer")
            .spawn(move || {
                let mut got = Vec::new();
                for _ in 0..ITEMS {
                    if sc.count.load(Ordering::SeqCst) == 0 {
                        sc.consumer.sleep();
                    }
                    let item = sc.buffer.lock().unwrap().pop_front(); // remove_item
                    let c = sc.count.load(Ordering::SeqCst);
                    sc.count.store(c - 1, Ordering::SeqCst);
                    if sc.count.load(Ordering::SeqCst) == N - 1 {
                        sc.producer.wakeup();
                    }
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

/// Control 1: the book's own fix (§2.3.5, Fig. 2-28): semaphores `full`,
/// `empty` and `mutex`; a `up` on a semaphore nobody waits on is counted,
/// not lost.
fn fixed_semaphores() -> Scenario<String> {
    Scenario::new("blind9a::mos_sleep_wakeup_semaphores", || {
        let mutex = Arc::new(Semaphore::new(1).named("mutex"));
        let empty = Arc::new(Semaphore::new(N as usize).named("empty"));
        let full = Arc::new(Semaphore::new(0).named("full"));
        let buffer = Arc::new(Mutex::new(VecDeque::new()).named("buffer"));
        let (m, e, f, b) = (
            Arc::clone(&mutex),
            Arc::clone(&empty),
            Arc::clone(&full),
            Arc::clone(&buffer),
        );
        let producer = thread::Builder::new()
            .name("producer")
            .spawn(move || {
                for item in 1..=ITEMS {
                    e.acquire();
                    m.acquire();
                    b.lock().unwrap().push_back(item);
                    m.release();
                    f.release();
                }
            })
            .unwrap();
        let consumer = thread::Builder::new()
            .name("consumer")
            .spawn(move || {
                let mut got = Vec::new();
                for _ in 0..ITEMS {
                    full.acquire();
                    mutex.acquire();
                    let item = buffer.lock().unwrap().pop_front();
                    mutex.release();
                    empty.release();
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

/// Control 2: keep sleep/wakeup-style code, but test `count` and go to sleep
/// under the same lock the other side changes it under (a monitor: one
/// `Mutex<i32>` for count, a condvar per side, `while` instead of `if`).
fn fixed_monitor() -> Scenario<String> {
    Scenario::new("blind9a::mos_sleep_wakeup_monitor", || {
        let state = Arc::new((
            Mutex::new((0i32, VecDeque::new())).named("monitor"),
            Condvar::new().named("not_full"),
            Condvar::new().named("not_empty"),
        ));
        let sp = Arc::clone(&state);
        let producer = thread::Builder::new()
            .name("producer")
            .spawn(move || {
                let (m, not_full, not_empty) = &*sp;
                for item in 1..=ITEMS {
                    let mut g = m.lock().unwrap();
                    while g.0 == N {
                        g = not_full.wait(g).unwrap();
                    }
                    g.1.push_back(item);
                    g.0 += 1;
                    if g.0 == 1 {
                        not_empty.notify_one();
                    }
                }
            })
            .unwrap();
        let sc = Arc::clone(&state);
        let consumer = thread::Builder::new()
            .name("consumer")
            .spawn(move || {
                let (m, not_full, not_empty) = &*sc;
                let mut got = Vec::new();
                for _ in 0..ITEMS {
                    let mut g = m.lock().unwrap();
                    while g.0 == 0 {
                        g = not_empty.wait(g).unwrap();
                    }
                    let item = g.1.pop_front();
                    g.0 -= 1;
                    if g.0 == N - 1 {
                        not_full.notify_one();
                    }
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
    for s in [fixed_semaphores(), fixed_monitor()] {
        common::explore(&s, &common::loom()).assert_holds();
        common::explore(&s, &common::shuttle()).assert_holds();
    }
}
