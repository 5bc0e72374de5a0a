// WRONG: compare_exchange loop capped at 2 tries, then refuses: a teller that loses the race twice is refused although the balance covers it (e.g. 10,10,10 from 100).
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
        let mut cur = self.balance.load(SeqCst);
        for _ in 0..2 {
            if cur < amount {
                return false;
            }
            match self.balance.compare_exchange(cur, cur - amount, SeqCst, SeqCst) {
                Ok(_) => return true,
                Err(actual) => cur = actual,
            }
        }
        false
    }
}
