//! Withdrawal: "if the balance covers it, take the money".
//!
//! Racy: two withdrawals of 80 from a balance of 100 both see 100, both
//! pass the check, and both take 80: the account is overdrawn by 60. Each
//! step is atomic (`load`, then `fetch_sub`); the pair is not. Fixes, side
//! by side: the check and the withdrawal under one lock ([`Locked`]), and a
//! compare-exchange that withdraws only from the balance it checked
//! ([`Cas`]).
//!
//! Costs: a lock per withdrawal ([`Locked`]); a retry per lost race
//! ([`Cas`]), like the counter's compare-exchange loop.

use std::fmt;

use crate::counter::thread_name;
use crate::explore::{Grade, Scenario};
use crate::sync::atomic::{AtomicU64, Ordering::SeqCst};
use crate::sync::{thread, Arc, Mutex, StartGate};

/// The opening balance.
pub const OPENING: u64 = 100;
/// What each thread tries to withdraw.
pub const AMOUNT: u64 = 80;

/// An account that refuses withdrawals it cannot cover.
pub trait Account: Send + Sync + 'static {
    /// An account holding [`OPENING`], on the current backend.
    fn new() -> Self
    where
        Self: Sized;
    /// Withdraws `amount` if the balance covers it; says whether it did.
    fn withdraw(&self, amount: u64) -> bool;
    /// The balance, as a signed number (negative: overdrawn).
    fn balance(&self) -> i128;
}

/// Check, then act: both withdrawals can pass the check.
#[derive(Debug)]
pub struct Racy {
    balance: AtomicU64,
}

impl Account for Racy {
    fn new() -> Self {
        Racy {
            balance: AtomicU64::new(OPENING).named("balance"),
        }
    }

    fn withdraw(&self, amount: u64) -> bool {
        if self.balance.load(SeqCst) >= amount {
            // The other withdrawal may have passed the same check.
            self.balance.fetch_sub(amount, SeqCst);
            true
        } else {
            false
        }
    }

    fn balance(&self) -> i128 {
        // Below zero, the u64 wrapped around.
        i128::from(self.balance.load(SeqCst) as i64)
    }
}

/// Check and act under one lock.
#[derive(Debug)]
pub struct Locked {
    balance: Mutex<u64>,
}

impl Account for Locked {
    fn new() -> Self {
        Locked {
            balance: Mutex::new(OPENING).named("balance").traced(),
        }
    }

    fn withdraw(&self, amount: u64) -> bool {
        let mut balance = self.balance.lock().unwrap_or_else(|p| p.into_inner());
        if *balance >= amount {
            *balance -= amount;
            true
        } else {
            false
        }
    }

    fn balance(&self) -> i128 {
        i128::from(*self.balance.lock().unwrap_or_else(|p| p.into_inner()))
    }
}

/// Withdraw with a compare-exchange from the balance that was checked.
#[derive(Debug)]
pub struct Cas {
    balance: AtomicU64,
}

impl Account for Cas {
    fn new() -> Self {
        Cas {
            balance: AtomicU64::new(OPENING).named("balance"),
        }
    }

    fn withdraw(&self, amount: u64) -> bool {
        let mut seen = self.balance.load(SeqCst);
        while seen >= amount {
            match self.balance.compare_exchange(seen, seen - amount, SeqCst, SeqCst) {
                Ok(_) => return true,
                // The balance changed since the check: check again.
                Err(now) => seen = now,
            }
        }
        false
    }

    fn balance(&self) -> i128 {
        i128::from(self.balance.load(SeqCst))
    }
}

/// The final balance and how many withdrawals went through.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Balance {
    pub balance: i128,
    pub granted: u64,
}

impl fmt::Display for Balance {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "balance {}, {} granted", self.balance, self.granted)?;
        if self.balance < 0 {
            write!(f, " (overdrawn by {})", -self.balance)?;
        }
        Ok(())
    }
}

/// `threads` threads each try to withdraw [`AMOUNT`] from [`OPENING`];
/// acceptable only if the balance never goes negative and adds up.
pub fn scenario<A: Account>(name: &str, threads: usize) -> Scenario<Balance> {
    Scenario::new(name, move || {
        let account = Arc::new(A::new());
        let gate = Arc::new(StartGate::new(threads));
        let tellers: Vec<_> = (0..threads)
            .map(|i| {
                let (account, gate) = (Arc::clone(&account), Arc::clone(&gate));
                thread::Builder::new()
                    .name(thread_name(i))
                    .spawn(move || {
                        gate.wait();
                        account.withdraw(AMOUNT)
                    })
                    .expect("spawn a teller")
            })
            .collect();
        let granted = tellers
            .into_iter()
            .map(|t| u64::from(t.join().expect("a teller panicked")))
            .sum();
        Balance {
            balance: account.balance(),
            granted,
        }
    })
    .expect("never overdrawn, and the books balance", |b: &Balance| {
        let adds_up = b.balance == i128::from(OPENING) - i128::from(AMOUNT * b.granted);
        if b.balance >= 0 && adds_up {
            Grade::Acceptable
        } else {
            Grade::Forbidden
        }
    })
}
