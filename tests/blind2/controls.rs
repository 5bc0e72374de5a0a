//! Correct counterparts of three puzzles: each must hold under both
//! backends (verdict check only; a holding report has no timeline).

use racelab::explore::{Explorer, Scenario};
use racelab::sync::atomic::{AtomicBool, AtomicU64, Ordering::SeqCst};
use racelab::sync::{thread, Arc, Condvar, Mutex, Semaphore};

/// p06 fixed: `ready` is set under the mutex, so the check and the wait
/// cannot be split by the store and notify.
fn predicate_under_mutex() -> Scenario<String> {
    Scenario::new("blind2::fixed::predicate_under_mutex", || {
        let s = Arc::new((
            Mutex::new(()).named("m"),
            Condvar::new().named("cv"),
            AtomicBool::new(false).named("ready"),
        ));
        let s2 = s.clone();
        let alice = thread::Builder::new()
            .name("alice")
            .spawn(move || {
                let mut g = s2.0.lock().unwrap();
                while !s2.2.load(SeqCst) {
                    g = s2.1.wait(g).unwrap();
                }
                drop(g);
            })
            .unwrap();
        let bob = thread::Builder::new()
            .name("bob")
            .spawn(move || {
                let g = s.0.lock().unwrap();
                s.2.store(true, SeqCst);
                drop(g);
                s.1.notify_one();
            })
            .unwrap();
        bob.join().unwrap();
        alice.join().unwrap();
        "alice woke".to_string()
    })
    .expect_only("alice woke".to_string())
}

/// p09 fixed: `notify_all` (OSTEP's covering condition).
fn single_condvar_notify_all() -> Scenario<String> {
    Scenario::new("blind2::fixed::single_condvar_notify_all", || {
        let b = Arc::new((
            Mutex::new(Vec::<u32>::new()).named("buffer"),
            Condvar::new().named("cv"),
        ));
        let mut consumers = Vec::new();
        for name in ["c1", "c2"] {
            let b = b.clone();
            consumers.push(
                thread::Builder::new()
                    .name(name)
                    .spawn(move || {
                        let mut g = b.0.lock().unwrap();
                        while g.is_empty() {
                            g = b.1.wait(g).unwrap();
                        }
                        let x = g.pop().unwrap();
                        b.1.notify_all();
                        x
                    })
                    .unwrap(),
            );
        }
        let bp = b.clone();
        let producer = thread::Builder::new()
            .name("producer")
            .spawn(move || {
                for item in 1..=2u32 {
                    let mut g = bp.0.lock().unwrap();
                    while !g.is_empty() {
                        g = bp.1.wait(g).unwrap();
                    }
                    g.push(item);
                    bp.1.notify_all();
                }
            })
            .unwrap();
        producer.join().unwrap();
        let mut got: Vec<u32> = consumers.into_iter().map(|c| c.join().unwrap()).collect();
        got.sort();
        format!("consumed {got:?}")
    })
    .expect_only("consumed [1, 2]".to_string())
}

/// p08 fixed: the semaphore starts at 1.
fn semaphore_one() -> Scenario<String> {
    Scenario::new("blind2::fixed::semaphore_one", || {
        let a = Arc::new((Semaphore::new(1).named("sem"), AtomicU64::new(0).named("balance")));
        let mut ts = Vec::new();
        for name in ["alice", "bob"] {
            let a = a.clone();
            ts.push(
                thread::Builder::new()
                    .name(name)
                    .spawn(move || {
                        a.0.acquire();
                        let v = a.1.load(SeqCst);
                        a.1.store(v + 10, SeqCst);
                        a.0.release();
                    })
                    .unwrap(),
            );
        }
        for t in ts {
            t.join().unwrap();
        }
        format!("balance = {}", a.1.load(SeqCst))
    })
    .expect_only("balance = 20".to_string())
}

#[test]
fn fixed_hold_under_loom() {
    for s in [predicate_under_mutex(), single_condvar_notify_all(), semaphore_one()] {
        super::common::run(&s, &Explorer::loom()).assert_holds();
    }
}

#[test]
fn fixed_hold_under_shuttle() {
    for s in [predicate_under_mutex(), single_condvar_notify_all(), semaphore_one()] {
        super::common::run(&s, &Explorer::shuttle()).assert_holds();
    }
}
