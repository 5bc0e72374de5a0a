//! # b03: a one-connection pool whose retry guard frees a permit it never got
//!
//! A database pool has one connection, guarded by a `Semaphore` with one
//! permit; `in_use` (an `AtomicUsize`) counts who is on the connection.
//! alice takes the permit with a blocking `acquire`. bob's client retries
//! with `try_acquire`, and wraps every attempt in an RAII `PermitGuard` that
//! releases on drop, *even when the attempt failed*. His failed first attempt
//! therefore releases alice's permit, his second attempt succeeds, and both
//! are on the one connection at once (a semaphore released by a thread that
//! never acquired it).
//!
//! ## Teacher marks (written before looking at racelab's marks)
//! Schedule: alice `acquire pool (0 left)`, bob `try_acquire pool -> failed`,
//! bob `release pool (1 free)`, bob `acquire pool (0 left)` (his retry),
//! then both `fetch_add in_use` overlap (the second one reads 1).
//! 1. Bob's `release pool` right after his failed attempt: kind
//!    `order_violation`, "releases pool without having acquired it (alice
//!    holds it)". Other end (lenient): bob's failed `try_acquire` or alice's
//!    `acquire` named as the permit he gave away.
//!
//! Not spurious (acceptable extra): a mark on the `fetch_add in_use` that
//! reads 1 saying a second user got in while the other was still inside.
//! Spurious: `lost_update` on `in_use` (both `fetch_add`s are atomic, nothing
//! is lost); a `deadlock`; a `data_race`; marks on alice's own `release`
//! (she acquired what she releases).
//!
//! No control here (the fix is the guard made only on success).

use racelab::explore::{FailureKind, Scenario};
use racelab::sync::atomic::{AtomicUsize, Ordering::SeqCst};
use racelab::sync::{thread, Arc, Semaphore};

use crate::common;

struct Pool {
    permits: Semaphore,
    in_use: AtomicUsize,
}

/// Gives the permit back when the attempt ends.
struct PermitGuard<'a>(&'a Semaphore);

impl Drop for PermitGuard<'_> {
    fn drop(&mut self) {
        self.0.release();
    }
}

impl Pool {
    /// Runs one query on the connection; returns how many users were on it
    /// at the same time (1 is right).
    fn query(&self) -> usize {
        let users = self.in_use.fetch_add(1, SeqCst) + 1;
        self.in_use.fetch_sub(1, SeqCst);
        users
    }
}

fn two_clients() -> Scenario<usize> {
    Scenario::new("b03::pool_guard_racy", || {
        let pool = Arc::new(Pool {
            permits: Semaphore::new(1).named("pool"),
            in_use: AtomicUsize::new(0).named("in_use"),
        });
        let p = Arc::clone(&pool);
        let alice = thread::Builder::new()
            .name("alice")
            .spawn(move || {
                p.permits.acquire();
                let users = p.query();
                p.permits.release();
                users
            })
            .unwrap();
        let p = Arc::clone(&pool);
        let bob = thread::Builder::new()
            .name("bob")
            .spawn(move || {
                for _attempt in 0..2 {
                    let got = p.permits.try_acquire();
                    // BUG: the guard is made whether or not the permit was
                    // taken, so a failed attempt releases someone else's.
                    let _guard = PermitGuard(&p.permits);
                    if got {
                        return p.query();
                    }
                }
                0
            })
            .unwrap();
        alice.join().unwrap().max(bob.join().unwrap())
    })
    .expect("at most 1 user on the connection", |&users| {
        if users <= 1 {
            racelab::explore::Grade::Acceptable
        } else {
            racelab::explore::Grade::Forbidden
        }
    })
}

#[test]
fn loom_finds_two_users() {
    common::explore(&two_clients(), &common::loom()).assert_racy(Some(FailureKind::ForbiddenOutcome));
}

#[test]
fn shuttle_finds_two_users() {
    common::explore(&two_clients(), &common::shuttle()).assert_racy(Some(FailureKind::ForbiddenOutcome));
}
