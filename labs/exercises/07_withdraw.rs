//! Lab 07 — Overdrawn.
//!
//! A race condition from the lecture's section on the GIL, with a decision
//! instead of a sum: "if the balance covers it, take the money". alice and
//! bob each withdraw 80 from an account holding 100. Only one of them may
//! get the money; the balance is an unsigned number, so it can never go
//! below zero — or can it?
//!
//! Edit only this file. Check it with `racelab check 7`.

use racelab::sync::atomic::{AtomicU64, Ordering::SeqCst};

/// A bank account that refuses withdrawals it cannot cover.
pub struct Account {
    balance: AtomicU64,
}

impl Account {
    pub fn new(opening: u64) -> Self {
        Account {
            balance: AtomicU64::new(opening).named("balance"),
        }
    }

    /// Takes `amount` if the balance covers it; says whether it did.
    pub fn withdraw(&self, amount: u64) -> bool {
        // TODO: the balance checked here may not be the balance the money is
        // taken from: two withdrawals can both pass the check.
        if self.balance.load(SeqCst) >= amount {
            self.balance.fetch_sub(amount, SeqCst);
            true
        } else {
            false
        }
    }

    pub fn balance(&self) -> u64 {
        self.balance.load(SeqCst)
    }
}
