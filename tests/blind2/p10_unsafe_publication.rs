//! Unsafe publication of a singleton (jcstress `UnsafePublication` /
//! "racy single-check" samples): alice builds the object (field `x` = 42)
//! and publishes it by setting `instance`, all `Relaxed`; bob sees
//! `instance` set and reads the field, which may still be 0: the C11 model
//! lets the field write be invisible although the publishing write is seen.
//! Shuttle runs every atomic as SeqCst, so it is expected to be blind.
//!
//! Teacher marks (written before looking at racelab's marks):
//! 1. bob's `load x -> 0` after `load instance -> 1`: stale read (alice's
//!    store of 42 came first, the model let bob read the older 0).
//! 2. bob's `load instance` Relaxed (or alice's `store instance` Relaxed):
//!    missing synchronisation — the publishing pair that should be
//!    Release/Acquire.
//! Total: 2 marks.

use racelab::explore::{Explorer, Grade, Scenario};
use racelab::sync::atomic::{AtomicU32, Ordering::Relaxed};
use racelab::sync::{thread, Arc};

fn scenario() -> Scenario<String> {
    Scenario::new("blind2::unsafe_publication", || {
        let x = Arc::new(AtomicU32::new(0).named("x"));
        let instance = Arc::new(AtomicU32::new(0).named("instance"));
        let (x2, i2) = (x.clone(), instance.clone());
        let alice = thread::Builder::new()
            .name("alice")
            .spawn(move || {
                x2.store(42, Relaxed);
                i2.store(1, Relaxed);
            })
            .unwrap();
        let bob = thread::Builder::new()
            .name("bob")
            .spawn(move || {
                if instance.load(Relaxed) == 1 {
                    Some(x.load(Relaxed))
                } else {
                    None
                }
            })
            .unwrap();
        alice.join().unwrap();
        format!("bob saw {:?}", bob.join().unwrap())
    })
    .expect("None or Some(42)", |o: &String| {
        if o.ends_with("None") || o.ends_with("Some(42)") {
            Grade::Acceptable
        } else {
            Grade::Forbidden
        }
    })
}

#[test]
fn loom() {
    super::common::run(&scenario(), &Explorer::loom()).assert_racy(None);
}

#[test]
fn shuttle() {
    let r = super::common::run(&scenario(), &Explorer::shuttle());
    println!(
        "SHUTTLE VERDICT unsafe_publication: failure = {:?}",
        r.failure.as_ref().map(|f| f.kind)
    );
    r.assert_holds();
}
