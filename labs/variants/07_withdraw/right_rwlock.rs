// RIGHT: a withdrawal checks and takes under one write lock; reading the balance only needs a read lock.

use racelab::sync::RwLock;

/// A bank account that refuses withdrawals it cannot cover.
pub struct Account {
    balance: RwLock<u64>,
}

impl Account {
    pub fn new(opening: u64) -> Self {
        Account {
            balance: RwLock::new(opening).named("balance"),
        }
    }

    /// Takes `amount` if the balance covers it; says whether it did.
    pub fn withdraw(&self, amount: u64) -> bool {
        let mut balance = self.balance.write().unwrap();
        match balance.checked_sub(amount) {
            Some(left) => {
                *balance = left;
                true
            }
            None => false,
        }
    }

    pub fn balance(&self) -> u64 {
        *self.balance.read().unwrap()
    }
}
