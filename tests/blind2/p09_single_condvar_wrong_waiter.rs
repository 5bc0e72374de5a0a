//! Bounded buffer with one condition variable for both "not full" and "not
//! empty" (OSTEP ch. 30, "Condition Variables", the single-CV
//! producer/consumer bug, figure 30.10): capacity 1, one producer of two
//! items, two consumers of one item each. A consumer's `notify_one`, meant
//! for the producer, can wake the other consumer, who finds the buffer
//! empty and sleeps again: everyone sleeps.
//!
//! The schedule (OSTEP's): c1 and c2 wait (empty); the producer puts item 1,
//! notifies (wakes c1), finds the buffer full and waits; c1 takes item 1 and
//! notifies — waking c2 instead of the producer; c2 sees empty and waits.
//!
//! Teacher marks (written before looking at racelab's marks):
//! 1. the consumer's `notify_one cv` after taking the item that wakes the
//!    other consumer, not the producer: the wake-up meant for the producer is
//!    lost (lost wake-up).
//! 2. the final waits (producer's and the second consumer's `wait cv`):
//!    deadlock — everyone waits on `cv` that nobody will notify. Counted as
//!    1 mark (on either of the final waits, kind deadlock or lost wake-up).
//! Total: 2 marks.

use racelab::explore::{Explorer, Scenario};
use racelab::sync::{thread, Arc, Condvar, Mutex};

struct Buf {
    m: Mutex<Vec<u32>>,
    cv: Condvar,
}

fn scenario() -> Scenario<String> {
    Scenario::new("blind2::single_condvar_wrong_waiter", || {
        let b = Arc::new(Buf {
            m: Mutex::new(Vec::new()).named("buffer"),
            cv: Condvar::new().named("cv"),
        });
        let mut consumers = Vec::new();
        for name in ["c1", "c2"] {
            let b = b.clone();
            consumers.push(
                thread::Builder::new()
                    .name(name)
                    .spawn(move || {
                        let mut g = b.m.lock().unwrap();
                        while g.is_empty() {
                            g = b.cv.wait(g).unwrap();
                        }
                        let x = g.pop().unwrap();
                        b.cv.notify_one();
                        x
                    })
                    .unwrap(),
            );
        }
        let bp = b.clone();
        let producer = thread::Builder::new()
            .name("producer")
            .spawn(move || {
                for item in 1..=2u32 {
                    let mut g = bp.m.lock().unwrap();
                    while !g.is_empty() {
                        g = bp.cv.wait(g).unwrap();
                    }
                    g.push(item);
                    bp.cv.notify_one();
                }
            })
            .unwrap();
        producer.join().unwrap();
        let mut got: Vec<u32> = consumers.into_iter().map(|c| c.join().unwrap()).collect();
        got.sort();
        format!("consumed {got:?}")
    })
    .expect_only("consumed [1, 2]".to_string())
}

#[test]
fn loom() {
    super::common::run(&scenario(), &Explorer::loom()).assert_racy(None);
}

#[test]
fn shuttle() {
    super::common::run(&scenario(), &Explorer::shuttle()).assert_racy(None);
}
