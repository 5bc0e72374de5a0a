//! a06: a hazard pointer recorded without re-checking the pointer it protects.
//!
//! **Source.** Paul E. McKenney, *Is Parallel Programming Hard, And, If So,
//! What Can You Do About It?* (perfbook), §9.3 "Hazard Pointers",
//! Listing 9.4 "Hazard-Pointer Recording and Clearing" (`hp_try_record()`,
//! `defer/hazptr.tex` in <https://github.com/paulmckrcu/perfbook>): "line
//! ro1 reads the pointer to the object to be protected ... line store
//! stores the pointer into the specified hazard pointer, and line mb forces
//! full ordering of that store with the reload of the original pointer on
//! line ro2. If the value of the original pointer has not changed, then the
//! hazard pointer protects the pointed-to object ... Otherwise, if the
//! pointer changed between the two READ_ONCE() invocations, line race2
//! indicates failure." The updater side is `hazptr_scan()` (Listing 9.5):
//! an object removed from the structure is freed unless some hazard pointer
//! holds it. The broken variant skips the reload (a tempting "optimisation"
//! once the store is made).
//!
//! **Program.** `gptr` points at route 1 (data 10). bob (the reader)
//! records `hp <- gptr`, then reads the route's data. alice (the updater)
//! replaces route 1 by route 2 (`swap gptr`), scans bob's hazard pointer,
//! and frees route 1 (its data poisoned to 0xdead, as perfbook's
//! `->re_freed` checks would catch) unless the hazard pointer holds it.
//!
//! **Bug.** bob `load gptr -> 1`; alice `swap gptr` (1 -> 2), `load hp ->
//! 0` (no hazard), frees route 1; bob `store hp <- 1`, too late, and reads
//! the freed route (0xdead). The reload after the store would have seen
//! `gptr == 2` and retried.
//!
//! **Teacher marks** (expected execution, 1 preemption):
//! 1. bob's `load route1.data -> 57005`: **stale_check** (use after free).
//!    "bob uses route 1, which he read from gptr at step N; alice replaced
//!    it at step M and freed it at step K, before his hazard pointer (step
//!    L) was published. Without re-reading gptr after `store hp`, nothing
//!    told him."
//!
//! Lenient: a mark on bob's `store hp <- 1` (published after alice's scan)
//! or on alice's free, naming the same pair. No mark belongs on alice's
//! `load hp -> 0` as a stale read (it was current: bob had not stored yet),
//! nor on alice's free as such (by the protocol it was allowed), nor on
//! `store hp <- 0` (the clear).
//!
//! **Controls.** (1) perfbook's `hp_try_record()`: reload `gptr` after the
//! hazard-pointer store and retry if it moved (SeqCst standing in for
//! `smp_mb()`). (2) A different primitive: the route pointer behind an
//! `RwLock`, bob reading under the read lock, alice replacing and freeing
//! under the write lock.

use crate::common;
use racelab::explore::{FailureKind, Grade, Scenario};
use racelab::sync::atomic::{AtomicU64, AtomicUsize, Ordering::SeqCst};
use racelab::sync::{thread, Arc, RwLock};

const FREED: u64 = 0xdead;

struct Routes {
    gptr: AtomicUsize,
    /// bob's hazard pointer (0: none).
    hp: AtomicUsize,
    /// `data[1]`, `data[2]`: the two routes' payloads; index 0 unused.
    data: [AtomicU64; 3],
}

impl Routes {
    fn new() -> Self {
        Routes {
            gptr: AtomicUsize::new(1).named("gptr"),
            hp: AtomicUsize::new(0).named("hp"),
            data: [
                AtomicU64::new(0).named("null.data"),
                AtomicU64::new(10).named("route1.data"),
                AtomicU64::new(20).named("route2.data"),
            ],
        }
    }

    /// The reader: record a hazard pointer, read the route, clear it.
    fn lookup(&self, recheck: bool) -> u64 {
        let p = loop {
            let p = self.gptr.load(SeqCst);
            self.hp.store(p, SeqCst);
            if !recheck || self.gptr.load(SeqCst) == p {
                break p;
            }
        };
        let v = self.data[p].load(SeqCst);
        self.hp.store(0, SeqCst);
        v
    }

    /// The updater: replace route 1 by route 2, then `hazptr_scan()`.
    fn replace(&self) {
        let old = self.gptr.swap(2, SeqCst);
        if self.hp.load(SeqCst) != old {
            self.data[old].store(FREED, SeqCst);
        }
        // else: left on the retire list, freed by a later scan (not modelled).
    }
}

fn graded(name: &str, body: impl Fn() -> u64 + Send + Sync + 'static) -> Scenario<u64> {
    Scenario::new(name, body).expect("bob reads a live route (10 or 20)", |o: &u64| {
        if *o == 10 || *o == 20 {
            Grade::Acceptable
        } else {
            Grade::Forbidden
        }
    })
}

fn hazard_pointers(recheck: bool) -> Scenario<u64> {
    let name = if recheck {
        "a06::hazptr_try_record"
    } else {
        "a06::hazptr_no_recheck"
    };
    graded(name, move || {
        let routes = Arc::new(Routes::new());
        let r = Arc::clone(&routes);
        let alice = thread::Builder::new().name("alice").spawn(move || r.replace()).unwrap();
        let r = Arc::clone(&routes);
        let bob = thread::Builder::new()
            .name("bob")
            .spawn(move || r.lookup(recheck))
            .unwrap();
        alice.join().unwrap();
        bob.join().unwrap()
    })
}

fn rwlock_routes() -> Scenario<u64> {
    graded("a06::rwlock_routes", || {
        let gptr = Arc::new(RwLock::new(1usize).named("gptr"));
        let data = Arc::new([
            AtomicU64::new(0).named("null.data"),
            AtomicU64::new(10).named("route1.data"),
            AtomicU64::new(20).named("route2.data"),
        ]);
        let (g, d) = (Arc::clone(&gptr), Arc::clone(&data));
        let alice = thread::Builder::new()
            .name("alice")
            .spawn(move || {
                let mut p = g.write().unwrap();
                let old = *p;
                *p = 2;
                d[old].store(FREED, SeqCst);
            })
            .unwrap();
        let (g, d) = (Arc::clone(&gptr), Arc::clone(&data));
        let bob = thread::Builder::new()
            .name("bob")
            .spawn(move || {
                let p = g.read().unwrap();
                d[*p].load(SeqCst)
            })
            .unwrap();
        alice.join().unwrap();
        bob.join().unwrap()
    })
}

#[test]
fn loom_no_recheck_uses_freed_route() {
    let report = common::explore(&hazard_pointers(false), &common::loom());
    report.assert_racy(Some(FailureKind::ForbiddenOutcome));
}

#[test]
fn shuttle_no_recheck_uses_freed_route() {
    let report = common::explore(&hazard_pointers(false), &common::shuttle());
    report.assert_racy(Some(FailureKind::ForbiddenOutcome));
}

#[test]
fn loom_try_record_holds() {
    common::explore(&hazard_pointers(true), &common::loom()).assert_holds();
}

#[test]
fn shuttle_try_record_holds() {
    common::explore(&hazard_pointers(true), &common::shuttle()).assert_holds();
}

#[test]
fn loom_rwlock_holds() {
    common::explore(&rwlock_routes(), &common::loom()).assert_holds();
}

#[test]
fn shuttle_rwlock_holds() {
    common::explore(&rwlock_routes(), &common::shuttle()).assert_holds();
}
