// RIGHT: fetch_update retries the closure until it applies to the current balance, and checked_sub refuses what it cannot cover.

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
        self.balance
            .fetch_update(SeqCst, SeqCst, |balance| balance.checked_sub(amount))
            .is_ok()
    }

    pub fn balance(&self) -> u64 {
        self.balance.load(SeqCst)
    }
}
