// WRONG: takes the money first and gives it back if that overdrew, so another teller can be refused during the dip.

use racelab::sync::atomic::{AtomicI64, Ordering::SeqCst};

/// A bank account that refuses withdrawals it cannot cover.
pub struct Account {
    balance: AtomicI64,
}

impl Account {
    pub fn new(opening: u64) -> Self {
        Account {
            balance: AtomicI64::new(opening as i64).named("balance"),
        }
    }

    /// Takes `amount` if the balance covers it; says whether it did.
    pub fn withdraw(&self, amount: u64) -> bool {
        let amount = amount as i64;
        if self.balance.fetch_sub(amount, SeqCst) >= amount {
            true
        } else {
            // Overdrawn: put it back.
            self.balance.fetch_add(amount, SeqCst);
            false
        }
    }

    pub fn balance(&self) -> u64 {
        self.balance.load(SeqCst) as u64
    }
}
