// RIGHT: a compare_exchange_weak loop that re-checks the balance it just read before every attempt.

use racelab::sync::atomic::{
    AtomicU64,
    Ordering::{AcqRel, Acquire, Relaxed},
};

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
        let mut seen = self.balance.load(Relaxed);
        loop {
            let Some(left) = seen.checked_sub(amount) else {
                return false;
            };
            match self.balance.compare_exchange_weak(seen, left, AcqRel, Relaxed) {
                Ok(_) => return true,
                Err(now) => seen = now,
            }
        }
    }

    pub fn balance(&self) -> u64 {
        self.balance.load(Acquire)
    }
}
