//! # b02: TiKV's PD client, a read guard kept alive by `match` (a double lock)
//!
//! **Source.** tikv/tikv pull request #1768, "pd: fix a deadlock"
//! (<https://github.com/tikv/tikv/pull/1768>, April 2017): "Reading then
//! writing a `RwLock` in a match block will cause a deadlock", with the
//! demo `match foo(&mu.read().unwrap()) { Some(_) | None => { let mut data =
//! mu.write().unwrap(); *data = Some(2); } }`: the temporary read guard in
//! the scrutinee lives until the end of the `match`, so the `write` in the
//! arm waits for a read lock its own thread still holds. Qin et al., PLDI
//! 2020, §6.1 (blocking bugs: double locks through a guard whose implicit
//! lifetime outlasts what the programmer thought) count this pattern. Also rust-lang/rust#61228 for the `if let` form.
//!
//! **The program, reduced.** The PD client caches the cluster's leader in
//! `leader: RwLock<Option<u64>>` (`None` at first). Thread `pd-worker` looks
//! the leader up as the PR's demo does: `match leader_of(&leader.read()) {
//! Some(id) => id, None => { *leader.write() = Some(2); 2 } }`. Thread
//! `reconnect` sets the leader it learnt (`*leader.write() = Some(1)`).
//!
//! **The bug.** If `pd-worker` reads before `reconnect` has set the leader,
//! it finds `None` and calls `write()` while its own read guard is alive:
//! it waits for itself forever (and `reconnect`, arriving later, waits for
//! `pd-worker`'s read lock, and `main` for both). If `reconnect` goes first,
//! nothing goes wrong: the deadlock depends on the interleaving.
//!
//! **Teacher marks.**
//! 1. `pd-worker`'s `write leader` (the blocked step), kind `deadlock`:
//!    "pd-worker waits for the write lock on `leader` while it still holds
//!    the read lock it took at step N (the guard of the `match` scrutinee
//!    lives until the end of the match): it waits for itself".
//!
//! A mark on `reconnect`'s blocked `write` saying it waits for `pd-worker`
//! (who holds the read lock) is true and relevant, not spurious; a mark
//! calling it part of a cycle between two threads would be wrong (the
//! cycle is `pd-worker` with itself). No mark belongs on `pd-worker`'s read
//! (taking it is fine; keeping it is the bug, and the write's mark should
//! say so), nor on `main`'s joins beyond "waits for pd-worker".
//!
//! **Controls.** The PR's fix: copy the value out, so the guard is dropped
//! at the end of the `let` statement, before the `write`; and a `OnceLock`
//! (`get_or_init`), a different primitive with no guard to keep alive.

use racelab::explore::{FailureKind, Scenario};
use racelab::sync::{thread, Arc, OnceLock, RwLock};

use crate::common;

fn leader_of(cached: &Option<u64>) -> Option<u64> {
    *cached
}

fn racy() -> Scenario<String> {
    Scenario::new("blind10b::b02_pd_leader_racy", || {
        let leader = Arc::new(RwLock::new(None::<u64>).named("leader"));
        let l = Arc::clone(&leader);
        let worker = thread::Builder::new()
            .name("pd-worker")
            .spawn(move || {
                // The read guard is a temporary of the scrutinee: it lives
                // until the end of the match.
                match leader_of(&l.read().unwrap()) {
                    Some(id) => id,
                    None => {
                        let mut w = l.write().unwrap();
                        *w = Some(2);
                        2
                    }
                }
            })
            .unwrap();
        let l = Arc::clone(&leader);
        let reconnect = thread::Builder::new()
            .name("reconnect")
            .spawn(move || {
                *l.write().unwrap() = Some(1);
            })
            .unwrap();
        let id = worker.join().unwrap();
        reconnect.join().unwrap();
        format!("pd-worker uses leader {id}")
    })
}

fn fixed_copy_out() -> Scenario<String> {
    Scenario::new("blind10b::b02_pd_leader_copy_out", || {
        let leader = Arc::new(RwLock::new(None::<u64>).named("leader"));
        let l = Arc::clone(&leader);
        let worker = thread::Builder::new()
            .name("pd-worker")
            .spawn(move || {
                // The guard is dropped at the end of this statement.
                let cached = leader_of(&l.read().unwrap());
                match cached {
                    Some(id) => id,
                    None => {
                        let mut w = l.write().unwrap();
                        *w = Some(2);
                        2
                    }
                }
            })
            .unwrap();
        let l = Arc::clone(&leader);
        let reconnect = thread::Builder::new()
            .name("reconnect")
            .spawn(move || {
                *l.write().unwrap() = Some(1);
            })
            .unwrap();
        let id = worker.join().unwrap();
        reconnect.join().unwrap();
        format!("pd-worker uses leader {id}")
    })
}

fn fixed_once_lock() -> Scenario<String> {
    Scenario::new("blind10b::b02_pd_leader_once_lock", || {
        let leader = Arc::new(OnceLock::<u64>::new().named("leader"));
        let l = Arc::clone(&leader);
        let worker = thread::Builder::new()
            .name("pd-worker")
            .spawn(move || *l.get_or_init(|| 2))
            .unwrap();
        let l = Arc::clone(&leader);
        let reconnect = thread::Builder::new()
            .name("reconnect")
            .spawn(move || {
                let _ = l.set(1);
            })
            .unwrap();
        let id = worker.join().unwrap();
        reconnect.join().unwrap();
        format!("pd-worker uses leader {id}")
    })
}

#[test]
fn b02_racy_loom() {
    let report = common::explore(&racy(), &common::loom());
    report.assert_racy(Some(FailureKind::Deadlock));
}

#[test]
fn b02_racy_shuttle() {
    let report = common::explore(&racy(), &common::shuttle());
    report.assert_racy(Some(FailureKind::Deadlock));
}

#[test]
fn b02_fixed_copy_out_holds() {
    common::explore(&fixed_copy_out(), &common::loom()).assert_holds();
    common::explore(&fixed_copy_out(), &common::shuttle()).assert_holds();
}

#[test]
fn b02_fixed_once_lock_holds() {
    common::explore(&fixed_once_lock(), &common::loom()).assert_holds();
    common::explore(&fixed_once_lock(), &common::shuttle()).assert_holds();
}
