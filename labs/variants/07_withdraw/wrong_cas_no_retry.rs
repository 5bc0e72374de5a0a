// WRONG: one compare_exchange and no retry, so a withdrawal that merely lost a race is refused although the money is there.

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
        let seen = self.balance.load(SeqCst);
        seen >= amount
            && self
                .balance
                .compare_exchange(seen, seen - amount, SeqCst, SeqCst)
                .is_ok()
    }

    pub fn balance(&self) -> u64 {
        self.balance.load(SeqCst)
    }
}
