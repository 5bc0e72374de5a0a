// WRONG: try_lock refuses a withdrawal whenever another teller holds the lock, even when the balance covers it.

use racelab::sync::Mutex;

/// A bank account that refuses withdrawals it cannot cover.
pub struct Account {
    balance: Mutex<u64>,
}

impl Account {
    pub fn new(opening: u64) -> Self {
        Account {
            balance: Mutex::new(opening).named("balance").traced(),
        }
    }

    /// Takes `amount` if the balance covers it; says whether it did.
    pub fn withdraw(&self, amount: u64) -> bool {
        let Ok(mut balance) = self.balance.try_lock() else {
            return false;
        };
        if *balance >= amount {
            *balance -= amount;
            true
        } else {
            false
        }
    }

    pub fn balance(&self) -> u64 {
        *self.balance.lock().unwrap()
    }
}
