//! Lab 07 — reference solution: withdraw with a compare-exchange from the balance that was checked.

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
        let mut seen = self.balance.load(SeqCst);
        while seen >= amount {
            // Takes the money only if the balance is still the one checked.
            match self.balance.compare_exchange(seen, seen - amount, SeqCst, SeqCst) {
                Ok(_) => return true,
                // Someone else got there first: check the new balance.
                Err(now) => seen = now,
            }
        }
        false
    }

    pub fn balance(&self) -> u64 {
        self.balance.load(SeqCst)
    }
}
