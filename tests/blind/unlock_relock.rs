//! The "unlock-then-relock" optimisation (perfbook's and every code review's
//! "drop the lock while we compute"): read the value under the lock, release
//! it for the slow part, take it again and write the computed value back.
//!
//! TEACHER MARKS (written before any run):
//! 1. the second writer's relock-and-write (its `unlock counter` leaving
//!    1, or the `lock` that precedes it): it writes a value computed from
//!    its earlier read, over the other thread's write in between -> kind
//!    lost_update ("overwrites step N").

use racelab::explore::Scenario;
use racelab::sync::{thread, Arc, Mutex};

fn bump(m: &Mutex<u32>) {
    let v = *m.lock().unwrap();
    // "optimisation": do the slow part without holding the lock
    let next = v + 1;
    *m.lock().unwrap() = next;
}

fn scenario() -> Scenario<String> {
    Scenario::new("blind::unlock_relock", || {
        let m = Arc::new(Mutex::new(0u32).named("counter"));
        let m1 = m.clone();
        let alice = thread::Builder::new().name("alice").spawn(move || bump(&m1)).unwrap();
        let m2 = m.clone();
        let bob = thread::Builder::new().name("bob").spawn(move || bump(&m2)).unwrap();
        alice.join().unwrap();
        bob.join().unwrap();
        let v = *m.lock().unwrap();
        format!("counter = {v}")
    })
    .expect_only("counter = 2".to_string())
}

#[test]
fn unlock_relock() {
    let (l, s) = crate::both(&scenario());
    l.assert_racy(None);
    s.assert_racy(None);
}
