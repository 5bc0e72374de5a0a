// WRONG: fetch_sub first, and if the old balance did not cover it, fetch_add it back: between the two the balance is wrapped (huge), so a third withdrawal (e.g. 80,80,50 from 100) passes and the account ends overdrawn; balance() can also observe the wrapped value.
use racelab::sync::atomic::{AtomicU64, Ordering::*};

pub struct Account {
    balance: AtomicU64,
}

impl Account {
    pub fn new(opening: u64) -> Self {
        Account {
            balance: AtomicU64::new(opening).named("balance"),
        }
    }

    pub fn balance(&self) -> u64 {
        self.balance.load(SeqCst)
    }


    pub fn withdraw(&self, amount: u64) -> bool {
        let old = self.balance.fetch_sub(amount, SeqCst);
        if old >= amount {
            true
        } else {
            self.balance.fetch_add(amount, SeqCst);
            false
        }
    }
}
