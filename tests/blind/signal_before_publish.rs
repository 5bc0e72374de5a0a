//! Classic order violation (Lu et al., "Learning from mistakes", ASPLOS'08;
//! jcstress-style flag/data): the producer raises `ready` *before* writing
//! `data`, so a consumer that checks the flag reads data not yet written.
//! All SeqCst: the bug is in program order, not in the memory model.
//!
//! TEACHER MARKS (written before any run):
//! 1. bob's `load data -> 0` (after `load ready -> true`): it uses data the
//!    flag announced but alice has not written yet -> kind: order violation
//!    (racelab nearest: atomicity_violation "a write and its publication
//!    split", or stale_check "acts on the check at step N").
//! 2. (optional, counted) alice's `store ready <- true`: signals before
//!    publishing. I count only mark 1 as required (1 teacher mark); a mark
//!    on alice's store ready is acceptable, not spurious.

use racelab::explore::Scenario;
use racelab::sync::atomic::{AtomicBool, AtomicU32, Ordering::SeqCst};
use racelab::sync::{thread, Arc};

fn scenario() -> Scenario<String> {
    Scenario::new("blind::signal_before_publish", || {
        let ready = Arc::new(AtomicBool::new(false).named("ready"));
        let data = Arc::new(AtomicU32::new(0).named("data"));
        let (r, d) = (ready.clone(), data.clone());
        let alice = thread::Builder::new()
            .name("alice")
            .spawn(move || {
                r.store(true, SeqCst); // BUG: signal first
                d.store(42, SeqCst);
            })
            .unwrap();
        let (r, d) = (ready.clone(), data.clone());
        let bob = thread::Builder::new()
            .name("bob")
            .spawn(move || if r.load(SeqCst) { Some(d.load(SeqCst)) } else { None })
            .unwrap();
        alice.join().unwrap();
        let seen = bob.join().unwrap();
        format!("bob saw {seen:?}")
    })
    .expect("None or Some(42)", |o: &String| {
        if o == "bob saw Some(0)" {
            racelab::explore::Grade::Forbidden
        } else {
            racelab::explore::Grade::Acceptable
        }
    })
}

#[test]
fn signal_before_publish() {
    let (l, s) = crate::both(&scenario());
    l.assert_racy(None);
    s.assert_racy(None);
}
