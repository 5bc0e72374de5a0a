// RIGHT: every taker of two locks, transfers and audits alike, takes the higher id first: one global order, so no cycle.
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
        let mut high = self.lock(from.max(to));
        let mut low = self.lock(from.min(to));
        let (source, target) = if from > to {
            (&mut *high, &mut *low)
        } else {
            (&mut *low, &mut *high)
        };
        *source -= amount;
        *target += amount;
    }

    /// The balances of A and B, read together (B locked, then A).
    pub fn balances(&self) -> [u64; 2] {
        let b = self.lock(1);
        let a = self.lock(0);
        [*a, *b]
    }
}
