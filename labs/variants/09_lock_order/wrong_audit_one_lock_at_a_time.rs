// WRONG: transfers lock by id, but balances() reads A and B one lock at a time, so an audit can count a transfer's money twice or not at all.

use racelab::sync::Mutex;

/// Two accounts, A (id 0) and B (id 1), each behind its own lock.
pub struct Bank {
    accounts: [Mutex<u64>; 2],
}

impl Bank {
    /// Both accounts hold `opening`.
    pub fn new(opening: u64) -> Self {
        Bank {
            accounts: [
                Mutex::new(opening).named("A").traced(),
                Mutex::new(opening).named("B").traced(),
            ],
        }
    }

    /// Moves `amount` from account `from` to account `to` (two different ids).
    pub fn transfer(&self, from: usize, to: usize, amount: u64) {
        // One global order, by id: nobody ever holds the higher id while
        // waiting for the lower one, so no wait-for cycle can form.
        let (low, high) = (from.min(to), from.max(to));
        let mut low = self.accounts[low].lock().unwrap_or_else(|p| p.into_inner());
        let mut high = self.accounts[high].lock().unwrap_or_else(|p| p.into_inner());
        let (source, target) = if from < to {
            (&mut *low, &mut *high)
        } else {
            (&mut *high, &mut *low)
        };
        *source -= amount;
        *target += amount;
    }

    /// The balances of A and B, each read under its own lock.
    pub fn balances(&self) -> [u64; 2] {
        self.accounts
            .each_ref()
            .map(|a| *a.lock().unwrap_or_else(|p| p.into_inner()))
    }
}
