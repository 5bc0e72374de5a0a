//! Deadlock: two transfers that lock two accounts in opposite orders.
//!
//! Lecture section *GIL*: the lock that fixes a race ("make the second user
//! wait") brings a new failure when a task needs two locks. alice moves
//! money from A to B and locks A, then B; bob moves money from B to A and
//! locks B, then A. If each gets its first lock, each waits forever for the
//! other's: a wait-for cycle. Variants, side by side:
//! - [`Naive`]: lock in argument order — deadlocks;
//! - [`Ordered`]: lock in one global order (by account id) — no cycle can
//!   form, so no deadlock; costs nothing but the discipline;
//! - [`Backoff`]: take the first lock, *try* the second, and on failure
//!   release everything, yield and start over — no deadlock, but two
//!   threads can keep colliding (a livelock) under an adversarial schedule,
//!   and it burns work while they do.
//!
//! What the models say of [`Backoff`]: loom explores it completely, with and
//! without a preemption bound (`--preemption-bound none`), and every
//! execution ends with the money conserved. That is a proof under loom's
//! fairness assumption: a thread that calls `yield_now` is not scheduled
//! again until another thread has made progress, so the schedule that keeps
//! both threads colliding forever is outside what loom explores. A scheduler
//! that ignores yields could starve them (shuttle's PCT, a real OS under
//! load); the cost then shows as retries, and the lock-ordering fix has
//! none.

use std::fmt;

use crate::counter::thread_name;
use crate::explore::{Grade, Scenario};
use crate::sync::{thread, Arc, Mutex, MutexGuard, StartGate, TryLockError};

/// Each account's opening balance.
pub const OPENING: u64 = 1_000_000;

/// Two accounts, `A` (id 0) and `B` (id 1), each behind its own lock.
#[derive(Debug)]
pub struct Accounts {
    accounts: [Mutex<u64>; 2],
}

impl Accounts {
    fn new() -> Self {
        Accounts {
            accounts: [
                Mutex::new(OPENING).named("A").traced(),
                Mutex::new(OPENING).named("B").traced(),
            ],
        }
    }

    fn lock(&self, id: usize) -> MutexGuard<'_, u64> {
        self.accounts[id].lock().unwrap_or_else(|p| p.into_inner())
    }

    fn balances(&self) -> [u64; 2] {
        [*self.lock(0), *self.lock(1)]
    }
}

/// Moves `amount` between guarded balances (never below zero).
fn move_money(from: &mut u64, to: &mut u64, amount: u64) {
    let amount = amount.min(*from);
    *from -= amount;
    *to += amount;
}

/// A way to transfer money between two locked accounts.
pub trait Bank: Send + Sync + 'static {
    /// Two accounts with [`OPENING`] each, on the current backend.
    fn new() -> Self
    where
        Self: Sized;
    /// Moves `amount` from account `from` to account `to`.
    fn transfer(&self, from: usize, to: usize, amount: u64);
    /// The two balances.
    fn balances(&self) -> [u64; 2];
}

/// Locks `from`, then `to`: opposite transfers deadlock.
#[derive(Debug)]
pub struct Naive(Accounts);

impl Bank for Naive {
    fn new() -> Self {
        Naive(Accounts::new())
    }

    fn transfer(&self, from: usize, to: usize, amount: u64) {
        let mut a = self.0.lock(from);
        // The other transfer may hold `to` and be waiting for `from`.
        let mut b = self.0.lock(to);
        move_money(&mut a, &mut b, amount);
    }

    fn balances(&self) -> [u64; 2] {
        self.0.balances()
    }
}

/// Locks the lower id first, whatever the direction.
#[derive(Debug)]
pub struct Ordered(Accounts);

impl Bank for Ordered {
    fn new() -> Self {
        Ordered(Accounts::new())
    }

    fn transfer(&self, from: usize, to: usize, amount: u64) {
        let (first, second) = (from.min(to), from.max(to));
        let mut lo = self.0.lock(first);
        let mut hi = self.0.lock(second);
        if from == first {
            move_money(&mut lo, &mut hi, amount);
        } else {
            move_money(&mut hi, &mut lo, amount);
        }
    }

    fn balances(&self) -> [u64; 2] {
        self.0.balances()
    }
}

/// Locks `from`, tries `to`; on failure lets go of both and retries.
#[derive(Debug)]
pub struct Backoff(Accounts);

impl Bank for Backoff {
    fn new() -> Self {
        Backoff(Accounts::new())
    }

    fn transfer(&self, from: usize, to: usize, amount: u64) {
        loop {
            let mut a = self.0.lock(from);
            match self.0.accounts[to].try_lock() {
                Ok(mut b) => return move_money(&mut a, &mut b, amount),
                Err(TryLockError::Poisoned(p)) => return move_money(&mut a, &mut p.into_inner(), amount),
                Err(TryLockError::WouldBlock) => {
                    // Let go of `from` so the other transfer can finish.
                    drop(a);
                    thread::yield_now();
                }
            }
        }
    }

    fn balances(&self) -> [u64; 2] {
        self.0.balances()
    }
}

/// The two balances when both transfers are done.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Balances(pub [u64; 2]);

impl fmt::Display for Balances {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "A = {}, B = {}", self.0[0], self.0[1])
    }
}

/// alice moves 10 from A to B and bob 20 from B to A, `ops` times each
/// (more threads alternate directions); acceptable when all transfers
/// finish and no money appears or vanishes.
pub fn scenario<B: Bank>(name: &str, threads: usize, ops: u64) -> Scenario<Balances> {
    let moved = |i: usize| 10 * (i as u64 % 2 + 1);
    let expected = {
        let mut a = i128::from(OPENING);
        for i in 0..threads {
            let delta = i128::from(moved(i) * ops);
            a += if i % 2 == 0 { -delta } else { delta };
        }
        a
    };
    Scenario::new(name, move || {
        let bank = Arc::new(B::new());
        let gate = Arc::new(StartGate::new(threads));
        let clerks: Vec<_> = (0..threads)
            .map(|i| {
                let (bank, gate) = (Arc::clone(&bank), Arc::clone(&gate));
                let (from, to) = if i % 2 == 0 { (0, 1) } else { (1, 0) };
                thread::Builder::new()
                    .name(thread_name(i))
                    .spawn(move || {
                        gate.wait();
                        for _ in 0..ops {
                            bank.transfer(from, to, moved(i));
                        }
                    })
                    .expect("spawn a clerk")
            })
            .collect();
        for c in clerks {
            c.join().expect("a clerk panicked");
        }
        Balances(bank.balances())
    })
    .expect("every transfer done, money conserved", move |b: &Balances| {
        let total_ok = b.0[0] + b.0[1] == 2 * OPENING;
        // With transfers clamped at zero the exact split can differ only if
        // an account ran dry; these sizes never do, so insist on it.
        if total_ok && i128::from(b.0[0]) == expected {
            Grade::Acceptable
        } else {
            Grade::Forbidden
        }
    })
}
