//! Joining a thread while holding a lock it needs (a classic self-made
//! deadlock, e.g. "don't hold a lock across join", Java's
//! `synchronized` + `Thread.join`): main spawns bob, then takes `log` and
//! joins bob while still holding it. If bob has not logged yet, bob waits
//! for `log`, main waits for bob.
//!
//! Teacher marks (written before looking at racelab's marks):
//! 1. main's `join bob`: deadlock (waits for bob, who waits for `log`,
//!    held by main: a cycle).
//! 2. bob's `lock log` (blocked): deadlock, the other edge of the cycle.
//! Total: 2 marks.

use racelab::explore::{Explorer, Scenario};
use racelab::sync::{thread, Arc, Mutex};

fn scenario() -> Scenario<String> {
    Scenario::new("blind2::join_while_holding_lock", || {
        let log = Arc::new(Mutex::new(0u32).named("log"));
        let l2 = log.clone();
        let bob = thread::Builder::new()
            .name("bob")
            .spawn(move || {
                *l2.lock().unwrap() += 1;
            })
            .unwrap();
        let mut g = log.lock().unwrap();
        bob.join().unwrap();
        *g += 10;
        format!("log = {}", *g)
    })
    .expect_only("log = 11".to_string())
}

#[test]
fn loom() {
    super::common::run(&scenario(), &Explorer::loom()).assert_racy(None);
}

#[test]
fn shuttle() {
    super::common::run(&scenario(), &Explorer::shuttle()).assert_racy(None);
}
