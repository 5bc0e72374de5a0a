// WRONG: a saturating subtraction never goes below zero, but it grants money the account does not have.

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
        if self.balance.load(SeqCst) < amount {
            return false;
        }
        // Cannot wrap around any more... but two tellers can still both get here.
        self.balance
            .fetch_update(SeqCst, SeqCst, |b| Some(b.saturating_sub(amount)))
            .is_ok()
    }

    pub fn balance(&self) -> u64 {
        self.balance.load(SeqCst)
    }
}
