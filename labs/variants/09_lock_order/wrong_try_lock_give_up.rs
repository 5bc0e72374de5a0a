// WRONG: tries the second lock once and gives up when it is taken, so a transfer can silently not happen.
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

    fn lock(&self, id: usize) -> racelab::sync::MutexGuard<'_, u64> {
        self.accounts[id].lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Moves `amount` from account `from` to account `to` (two different ids).
    pub fn transfer(&self, from: usize, to: usize, amount: u64) {
        let mut source = self.lock(from);
        if let Ok(mut target) = self.accounts[to].try_lock() {
            *source -= amount;
            *target += amount;
        }
    }

    /// The balances of A and B, read together (A locked, then B).
    pub fn balances(&self) -> [u64; 2] {
        let (a, b) = (self.lock(0), self.lock(1));
        [*a, *b]
    }
}
