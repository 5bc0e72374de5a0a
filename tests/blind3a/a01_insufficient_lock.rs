//! **The Deadlock Empire, level L1 "Insufficient Lock"** (Locks chapter).
//!
//! Thread 0 loops `lock(mutex); i = i + 2; critical_section(); if (i == 5)
//! fail(); unlock(mutex)`; thread 1 loops `lock(mutex); i = i - 1;
//! critical_section(); unlock(mutex)`. Every access to `i` is under the one
//! lock, so there is no data race, no lost update and no torn read; yet `i`
//! can reach 5: thread 0 assumes `i` only ever grows by 2 from 0 (so stays
//! even), and one whole, correctly locked decrement by thread 1 makes it odd,
//! after which thread 0's own `+= 2` lands on 5. The lock gives atomicity,
//! not the ordering the invariant needs. (The brief remembered this level as
//! a lock "around only part"; the level's source has the check inside the
//! lock, and that is what is transcribed.) Bounded: the adder runs 3
//! iterations, the subtractor 1; `Mutex<i32>` plays `mutex` + `i`.
//!
//! **Teacher marks (written before looking at racelab's marks)**
//! 1. `subber`: its `unlock i` that leaves `i` odd (the `i -= 1`, a complete,
//!    locked critical section) - kind: *interleaving / order* (a correctly
//!    synchronised update that breaks the adder's parity assumption; not a
//!    race).
//! 2. `adder`: the critical section in which `i` becomes 5 (its `unlock i`
//!    leaving 5, where the `if i == 5` check fires) - kind: the failing
//!    check, consequence of (1).
//!
//! No lost update, stale check, atomicity violation or data race belongs
//! anywhere here: each read-modify-write is one critical section, and the
//! check reads the value its own critical section wrote. A mark of any of
//! those kinds is spurious.

use racelab::explore::{Grade, Scenario};
use racelab::sync::{thread, Arc, Mutex};

use crate::common;

const NEVER: &str = "adder never saw i == 5";

fn scenario() -> Scenario<String> {
    Scenario::new("blind3a::insufficient_lock", || {
        let i = Arc::new(Mutex::new(0i32).named("i"));
        let i0 = Arc::clone(&i);
        let adder = thread::Builder::new()
            .name("adder")
            .spawn(move || {
                let mut failed = false;
                for _ in 0..3 {
                    let mut g = i0.lock().unwrap();
                    *g += 2;
                    // critical_section();
                    if *g == 5 {
                        failed = true;
                    }
                }
                failed
            })
            .unwrap();
        let i1 = Arc::clone(&i);
        let subber = thread::Builder::new()
            .name("subber")
            .spawn(move || {
                let mut g = i1.lock().unwrap();
                *g -= 1;
                // critical_section();
            })
            .unwrap();
        let failed = adder.join().unwrap();
        subber.join().unwrap();
        if failed {
            "adder saw i == 5".to_owned()
        } else {
            NEVER.to_owned()
        }
    })
    .expect(NEVER, |o: &String| {
        if o == NEVER {
            Grade::Acceptable
        } else {
            Grade::Forbidden
        }
    })
}

#[test]
fn loom() {
    let report = common::explore(&scenario(), &common::loom());
    report.assert_racy(None);
}

#[test]
fn shuttle() {
    let report = common::explore(&scenario(), &common::shuttle());
    report.assert_racy(None);
}
