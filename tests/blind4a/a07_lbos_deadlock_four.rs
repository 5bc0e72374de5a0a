//! # a07: a consumer that waits for an item while holding the buffer's mutex (Little Book of Semaphores)
//!
//! Source: Allen B. Downey, *The Little Book of Semaphores*, §4.1 the
//! producer-consumer problem, "Deadlock #4": a consumer written as
//! `mutex.wait(); items.wait(); event = buffer.get(); mutex.signal()`.
//!
//! Bug: if the consumer takes the mutex while the buffer is empty, it blocks
//! on `items` still holding the mutex; the producer, who would add an item
//! and signal `items`, first needs the mutex: a cycle through a semaphore
//! and a lock. It only happens when the consumer gets the mutex first.
//! Model: `buffer` a `Mutex<Vec<u32>>`, `items` a racelab `Semaphore` with 0
//! permits; one `consumer`, one `producer`.
//!
//! ## Teacher marks (written before looking at racelab's marks)
//! 1. consumer's `acquire items` (blocked, holding `buffer`): **deadlock**:
//!    it waits for a permit only producer will release, and producer waits
//!    for `buffer`, which consumer holds: the cycle consumer -> items ->
//!    producer -> buffer -> consumer. The text must name producer as the
//!    one who would release `items` and/or that consumer holds `buffer`.
//! 2. producer's `lock buffer` (blocked): **deadlock**: waits for
//!    consumer, who holds `buffer` (taken at step N).
//!
//! Not spurious if true: main's joins (blocked for ever, waiting for a
//! deadlocked thread); consumer's `lock buffer` as where the hold began.
//! Spurious: a mark that treats the semaphore's internal lock as part of the
//! cycle (the consumer released it when it waited), a `lost_wakeup`, an
//! `order_violation` ("released without having acquired": producer's release
//! is the correct use of a counting semaphore, and it never runs anyway).

use racelab::explore::{Explorer, Scenario};
use racelab::sync::{thread, Arc, Mutex, Semaphore};

use crate::common;

fn scenario(name: &str, items_first: bool) -> Scenario<u32> {
    Scenario::new(name, move || {
        let buffer = Arc::new(Mutex::new(Vec::<u32>::new()).named("buffer"));
        let items = Arc::new(Semaphore::new(0).named("items"));
        let (b, i) = (Arc::clone(&buffer), Arc::clone(&items));
        let consumer = thread::Builder::new()
            .name("consumer")
            .spawn(move || {
                if items_first {
                    i.acquire();
                    b.lock().unwrap().pop().unwrap_or(0)
                } else {
                    let mut guard = b.lock().unwrap();
                    i.acquire();
                    guard.pop().unwrap_or(0)
                }
            })
            .unwrap();
        let (b, i) = (Arc::clone(&buffer), Arc::clone(&items));
        let producer = thread::Builder::new()
            .name("producer")
            .spawn(move || {
                b.lock().unwrap().push(7);
                i.release();
            })
            .unwrap();
        producer.join().unwrap();
        consumer.join().unwrap()
    })
    .expect_only(7)
}

#[test]
fn loom_finds_the_deadlock() {
    common::racy(&scenario("blind4a::a07_deadlock_four", false), Explorer::loom());
}

#[test]
fn shuttle_finds_the_deadlock() {
    common::racy(&scenario("blind4a::a07_deadlock_four", false), Explorer::shuttle());
}

/// Control: Downey's solution, `items.wait()` before `mutex.wait()`.
#[test]
fn items_first_holds_on_loom() {
    common::holds(&scenario("blind4a::a07_items_first", true), Explorer::loom());
}

#[test]
fn items_first_holds_on_shuttle() {
    common::holds(&scenario("blind4a::a07_items_first", true), Explorer::shuttle());
}
