// WRONG: double-checks: load, check, fetch_sub, and if the fetch_sub saw too little, add it back; the refund window still exposes a wrapped balance and lets another teller overdraw.
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
        if self.balance.load(SeqCst) < amount {
            return false;
        }
        let old = self.balance.fetch_sub(amount, SeqCst);
        if old < amount {
            self.balance.fetch_add(amount, SeqCst);
            return false;
        }
        true
    }
}
