//! Racy reference count (the classic `Arc` mistake, Rust Atomics and Locks
//! ch. 6 explains why `fetch_sub` must return the count): decrement, then
//! *re-read* the count to decide who frees. Both threads can read 0 and
//! both free.
//!
//! TEACHER MARKS (written before any run):
//! 1. the first decrementer's `load rc -> 0`: it reads the other thread's
//!    decrement, not its own (decrement and check meant as one) -> kind
//!    atomicity_violation ("reads bob's write of step N, not its own").
//!
//! One mark (the second thread's load reads its own write: correct).

use racelab::explore::Scenario;
use racelab::sync::atomic::{AtomicU32, Ordering::SeqCst};
use racelab::sync::{thread, Arc};

fn drop_ref(rc: &AtomicU32, frees: &AtomicU32) {
    rc.fetch_sub(1, SeqCst);
    if rc.load(SeqCst) == 0 {
        frees.fetch_add(1, SeqCst); // free the object
    }
}

fn scenario() -> Scenario<String> {
    Scenario::new("blind::refcount_double_free", || {
        let rc = Arc::new(AtomicU32::new(2).named("rc"));
        let frees = Arc::new(AtomicU32::new(0).named("frees"));
        let (r, f) = (rc.clone(), frees.clone());
        let alice = thread::Builder::new()
            .name("alice")
            .spawn(move || drop_ref(&r, &f))
            .unwrap();
        let (r, f) = (rc.clone(), frees.clone());
        let bob = thread::Builder::new()
            .name("bob")
            .spawn(move || drop_ref(&r, &f))
            .unwrap();
        alice.join().unwrap();
        bob.join().unwrap();
        format!("freed {} times", frees.load(SeqCst))
    })
    .expect_only("freed 1 times".to_string())
}

#[test]
fn refcount_double_free() {
    let (l, s) = crate::both(&scenario());
    l.assert_racy(None);
    s.assert_racy(None);
}
