//! Little Book of Semaphores, 4.1 (producer-consumer with a finite buffer):
//! the consumer forgets `items.wait()` and takes from the buffer at once.
//!
//! TEACHER MARKS (written before any run):
//! 1. bob (consumer) `lock buffer -> []` (the take that finds the buffer
//!    empty): it reads before alice's put, because bob never waited on the
//!    `items` semaphore alice releases -> kind: missing synchronisation
//!    (racelab nearest: no_sync / stale_check; the take is not ordered
//!    after the put).
//!    (A teacher might also point at alice's `release items` as the signal
//!    nobody waited for, but that is the same explanation: 1 mark.)

use racelab::explore::Scenario;
use racelab::sync::{thread, Arc, Mutex, Semaphore};
use std::collections::VecDeque;

fn scenario() -> Scenario<String> {
    build("blind::bounded_buffer_missing_wait", false)
}

fn build(name: &str, wait: bool) -> Scenario<String> {
    Scenario::new(name, move || {
        let buffer = Arc::new(Mutex::new(VecDeque::<u32>::new()).named("buffer"));
        let items = Arc::new(Semaphore::new(0).named("items"));
        let spaces = Arc::new(Semaphore::new(1).named("spaces"));
        let (b, i, s) = (buffer.clone(), items.clone(), spaces.clone());
        let alice = thread::Builder::new()
            .name("alice")
            .spawn(move || {
                s.acquire();
                b.lock().unwrap().push_back(7);
                i.release();
            })
            .unwrap();
        let (b, s, i) = (buffer.clone(), spaces.clone(), items.clone());
        let bob = thread::Builder::new()
            .name("bob")
            .spawn(move || {
                if wait {
                    i.acquire();
                } // BUG when !wait: missing items.acquire()
                let got = b.lock().unwrap().pop_front();
                s.release();
                got
            })
            .unwrap();
        alice.join().unwrap();
        let got = bob.join().unwrap();
        format!("bob got {got:?}")
    })
    .expect_only("bob got Some(7)".to_string())
}

#[test]
fn bounded_buffer_missing_wait() {
    let (l, s) = crate::both(&scenario());
    l.assert_racy(None);
    s.assert_racy(None);
}

#[test]
fn bounded_buffer_with_wait_fixed() {
    let (l, s) = crate::both(&build("blind::bounded_buffer_with_wait_fixed", true));
    l.assert_holds();
    s.assert_holds();
}
