// RIGHT: one lock over both balances: a transfer and an audit each take it once, so no cycle can form.
use racelab::sync::Mutex;

/// Two accounts, A (id 0) and B (id 1), behind one lock.
pub struct Bank {
    accounts: Mutex<[u64; 2]>,
}

impl Bank {
    /// Both accounts hold `opening`.
    pub fn new(opening: u64) -> Self {
        Bank {
            accounts: Mutex::new([opening; 2]).named("bank").traced(),
        }
    }

    /// Moves `amount` from account `from` to account `to` (two different ids).
    pub fn transfer(&self, from: usize, to: usize, amount: u64) {
        let mut accounts = self.accounts.lock().unwrap_or_else(|p| p.into_inner());
        accounts[from] -= amount;
        accounts[to] += amount;
    }

    /// The balances of A and B.
    pub fn balances(&self) -> [u64; 2] {
        *self.accounts.lock().unwrap_or_else(|p| p.into_inner())
    }
}
