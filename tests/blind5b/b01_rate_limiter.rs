//! # b01: a token-bucket rate limiter that admits more than it has
//!
//! An API gateway admits a request only while its bucket has tokens left.
//! `try_admit` first *checks* `tokens > 0` (an `Acquire` load of an
//! `AtomicI32`) and then, in a second step, *takes* a token with
//! `fetch_sub(1, AcqRel)`. Each step is atomic, the pair is not: two clients
//! can both see the last token and both take it, so the bucket holding one
//! token admits two requests and ends at -1 (check-then-act).
//!
//! ## Teacher marks (written before looking at racelab's marks)
//! Schedule: alice `load tokens -> 1`, bob `load tokens -> 1`, then both
//! `fetch_sub` (either order; say alice first: 1 -> 0, bob 0 -> -1).
//! 1. The *second* `fetch_sub tokens` (bob's, 0 -> -1): kind `stale_check`,
//!    "acts on the check at step N (his `load tokens -> 1`), which alice's
//!    `fetch_sub` changed after it". Other end of the pair (lenient): the
//!    check itself (bob's `load tokens -> 1`) with a text saying it is
//!    invalidated before the act.
//!
//! Spurious: a `lost_update` on either `fetch_sub` (a read-modify-write
//! loses nothing: the count is exactly 1 - 2 = -1); any mark on alice's
//! first `fetch_sub` saying it is wrong by itself; any data race / stale read
//! (every access is ordered, loom under `AcqRel` shows no weak behaviour
//! that matters here); marks on spawn or join.
//!
//! Controls: (a) a `Semaphore` with one permit and `try_acquire`, a different
//! primitive from the obvious compare-exchange loop; (b) `fetch_update` with
//! `checked_sub`-style refusal below one token.

use racelab::explore::{FailureKind, Grade, Scenario};
use racelab::sync::atomic::{AtomicI32, Ordering};
use racelab::sync::{thread, Arc, Semaphore};

use crate::common;

struct Limiter {
    tokens: AtomicI32,
}

impl Limiter {
    fn new(tokens: i32) -> Self {
        Limiter {
            tokens: AtomicI32::new(tokens).named("tokens"),
        }
    }

    /// Admits one request if a token is left.
    fn try_admit(&self) -> bool {
        if self.tokens.load(Ordering::Acquire) > 0 {
            // BUG: another client can take the last token between the
            // check above and this act.
            self.tokens.fetch_sub(1, Ordering::AcqRel);
            true
        } else {
            false
        }
    }

    /// Control: check and take in one atomic step.
    fn try_admit_fixed(&self) -> bool {
        self.tokens
            .fetch_update(Ordering::AcqRel, Ordering::Acquire, |t| (t > 0).then(|| t - 1))
            .is_ok()
    }
}

fn outcome(admitted: usize, left: i32) -> String {
    format!("admitted={admitted} tokens_left={left}")
}

fn grade(o: &String) -> Grade {
    if o == &outcome(1, 0) {
        Grade::Acceptable
    } else {
        Grade::Forbidden
    }
}

fn gateway(fixed: bool) -> Scenario<String> {
    let name = if fixed {
        "b01::limiter_fetch_update"
    } else {
        "b01::limiter_racy"
    };
    Scenario::new(name, move || {
        let limiter = Arc::new(Limiter::new(1));
        let clients: Vec<_> = ["alice", "bob"]
            .into_iter()
            .map(|who| {
                let limiter = Arc::clone(&limiter);
                thread::Builder::new()
                    .name(who)
                    .spawn(move || {
                        if fixed {
                            limiter.try_admit_fixed()
                        } else {
                            limiter.try_admit()
                        }
                    })
                    .unwrap()
            })
            .collect();
        let admitted = clients.into_iter().map(|c| c.join().unwrap()).filter(|&a| a).count();
        outcome(admitted, limiter.tokens.load(Ordering::Acquire))
    })
    .expect("admitted=1 tokens_left=0", grade)
}

/// Control with another primitive: the bucket is a semaphore.
fn gateway_semaphore() -> Scenario<String> {
    Scenario::new("b01::limiter_semaphore", || {
        let bucket = Arc::new(Semaphore::new(1).named("tokens"));
        let clients: Vec<_> = ["alice", "bob"]
            .into_iter()
            .map(|who| {
                let bucket = Arc::clone(&bucket);
                thread::Builder::new()
                    .name(who)
                    .spawn(move || bucket.try_acquire())
                    .unwrap()
            })
            .collect();
        let admitted = clients.into_iter().map(|c| c.join().unwrap()).filter(|&a| a).count();
        outcome(admitted, bucket.available() as i32)
    })
    .expect("admitted=1 tokens_left=0", grade)
}

#[test]
fn loom_finds_the_overdraft() {
    common::explore(&gateway(false), &common::loom()).assert_racy(Some(FailureKind::ForbiddenOutcome));
}

#[test]
fn shuttle_finds_the_overdraft() {
    common::explore(&gateway(false), &common::shuttle()).assert_racy(Some(FailureKind::ForbiddenOutcome));
}

#[test]
fn control_fetch_update_holds() {
    common::explore(&gateway(true), &common::loom()).assert_holds();
    common::explore(&gateway(true), &common::shuttle()).assert_holds();
}

#[test]
fn control_semaphore_holds() {
    common::explore(&gateway_semaphore(), &common::loom()).assert_holds();
    common::explore(&gateway_semaphore(), &common::shuttle()).assert_holds();
}
