// WRONG: the balance is checked once, then the compare_exchange is retried on a newer balance that is never checked again.

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
        if seen < amount {
            return false;
        }
        loop {
            match self
                .balance
                .compare_exchange(seen, seen.wrapping_sub(amount), SeqCst, SeqCst)
            {
                Ok(_) => return true,
                Err(now) => seen = now,
            }
        }
    }

    pub fn balance(&self) -> u64 {
        self.balance.load(SeqCst)
    }
}
