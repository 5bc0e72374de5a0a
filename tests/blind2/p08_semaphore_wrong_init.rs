//! A semaphore used as a mutex but created with 2 permits (Little Book of
//! Semaphores 3.4 "Mutex": the mutex must start at 1; a common slip when a
//! "multiplex" is copied): both threads enter the critical section, whose
//! read-modify-write then loses an update.
//!
//! Teacher marks (written before looking at racelab's marks):
//! 1. the second `store balance` (of whichever thread writes last): lost
//!    update, it overwrites the other thread's store computed from a stale
//!    load.
//! Total: 1 mark. (No mark on acquire/release themselves.)

use racelab::explore::{Explorer, Scenario};
use racelab::sync::atomic::{AtomicU64, Ordering::SeqCst};
use racelab::sync::{thread, Arc, Semaphore};

struct Account {
    sem: Semaphore,
    balance: AtomicU64,
}

fn deposit(a: &Account) {
    a.sem.acquire();
    let v = a.balance.load(SeqCst);
    a.balance.store(v + 10, SeqCst);
    a.sem.release();
}

fn scenario() -> Scenario<String> {
    Scenario::new("blind2::semaphore_wrong_init", || {
        let a = Arc::new(Account {
            sem: Semaphore::new(2).named("sem"),
            balance: AtomicU64::new(0).named("balance"),
        });
        let (a1, a2) = (a.clone(), a.clone());
        let t1 = thread::Builder::new()
            .name("alice")
            .spawn(move || deposit(&a1))
            .unwrap();
        let t2 = thread::Builder::new().name("bob").spawn(move || deposit(&a2)).unwrap();
        t1.join().unwrap();
        t2.join().unwrap();
        format!("balance = {}", a.balance.load(SeqCst))
    })
    .expect_only("balance = 20".to_string())
}

#[test]
fn loom() {
    super::common::run(&scenario(), &Explorer::loom()).assert_racy(None);
}

#[test]
fn shuttle() {
    super::common::run(&scenario(), &Explorer::shuttle()).assert_racy(None);
}
