//! A stop flag read once before the loop (the compiler hoisting of a
//! non-volatile flag, written out by hand; jcstress "JMMSample_03" /
//! "Busy-wait never terminates"): the worker never sees the stop.
//!
//! TEACHER MARKS (written before any run):
//! 1. bob's spin (`yield` repeated) acts on his single `load stop ->
//!    false` after alice's `store stop <- true` made it stale -> kind
//!    stale_check ("acts on the check at step N").
//!
//! One mark. Verdict expected: a step limit (livelock) or similar.

use racelab::explore::Scenario;
use racelab::sync::atomic::{AtomicBool, Ordering::SeqCst};
use racelab::sync::{thread, Arc};

fn scenario() -> Scenario<String> {
    Scenario::new("blind::stop_flag_hoisted", || {
        let stop = Arc::new(AtomicBool::new(false).named("stop"));
        let s = stop.clone();
        let bob = thread::Builder::new()
            .name("bob")
            .spawn(move || {
                let stopped = s.load(SeqCst); // BUG: read once
                #[allow(clippy::while_immutable_condition)] // the bug this puzzle is about
                while !stopped {
                    thread::yield_now();
                }
            })
            .unwrap();
        let s = stop.clone();
        let alice = thread::Builder::new()
            .name("alice")
            .spawn(move || s.store(true, SeqCst))
            .unwrap();
        alice.join().unwrap();
        bob.join().unwrap();
        "stopped".to_string()
    })
    .expect_only("stopped".to_string())
}

#[test]
fn stop_flag_hoisted() {
    let (l, s) = crate::both(&scenario());
    l.assert_racy(None);
    s.assert_racy(None);
}
