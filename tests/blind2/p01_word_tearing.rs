//! Word tearing (jcstress `WordTearing`-style, a 64-bit value kept as two
//! 32-bit halves): alice writes the value 0x1_0000_0001 as `lo` then `hi`;
//! bob reads `lo` then `hi`. Reading lo before alice's write and hi after it
//! gives 0x1_0000_0000: neither the old value nor the new one.
//!
//! Teacher marks (written before looking at racelab's marks):
//! 1. bob's second load (`load hi -> 1`, after `load lo -> 0`): torn
//!    snapshot, the two halves of one read split by alice's two stores
//!    (atomicity violation).
//! Total: 1 mark. No mark on alice's stores or on main's join.

use racelab::explore::{Explorer, Grade, Scenario};
use racelab::sync::atomic::{AtomicU32, Ordering::SeqCst};
use racelab::sync::{thread, Arc};

fn scenario() -> Scenario<String> {
    Scenario::new("blind2::word_tearing", || {
        let hi = Arc::new(AtomicU32::new(0).named("hi"));
        let lo = Arc::new(AtomicU32::new(0).named("lo"));
        let (h2, l2) = (hi.clone(), lo.clone());
        let alice = thread::Builder::new()
            .name("alice")
            .spawn(move || {
                l2.store(1, SeqCst);
                h2.store(1, SeqCst);
            })
            .unwrap();
        let bob = thread::Builder::new()
            .name("bob")
            .spawn(move || {
                let l = lo.load(SeqCst);
                let h = hi.load(SeqCst);
                ((h as u64) << 32) | l as u64
            })
            .unwrap();
        alice.join().unwrap();
        format!("bob read {:#x}", bob.join().unwrap())
    })
    .expect("bob reads 0x0 or 0x100000001", |o: &String| {
        if o == "bob read 0x0" || o == "bob read 0x100000001" {
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
    super::common::run(&scenario(), &Explorer::shuttle()).assert_racy(None);
}
