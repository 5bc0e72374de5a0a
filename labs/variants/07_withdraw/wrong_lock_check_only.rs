// WRONG: the lock covers the check but is released before the money is taken, so both tellers can pass the check.

use racelab::sync::atomic::{AtomicU64, Ordering::SeqCst};
use racelab::sync::Mutex;

/// A bank account that refuses withdrawals it cannot cover.
pub struct Account {
    balance: AtomicU64,
    lock: Mutex<()>,
}

impl Account {
    pub fn new(opening: u64) -> Self {
        Account {
            balance: AtomicU64::new(opening).named("balance"),
            lock: Mutex::new(()).named("lock"),
        }
    }

    /// Takes `amount` if the balance covers it; says whether it did.
    pub fn withdraw(&self, amount: u64) -> bool {
        let covered = {
            let _guard = self.lock.lock().unwrap();
            self.balance.load(SeqCst) >= amount
        };
        if covered {
            self.balance.fetch_sub(amount, SeqCst);
        }
        covered
    }

    pub fn balance(&self) -> u64 {
        self.balance.load(SeqCst)
    }
}
