// RIGHT: a bank-wide gate is held while taking the two account locks (in any order), so only one thread at a time can be waiting for an account.
use racelab::sync::{Mutex, MutexGuard};

/// Two accounts, A (id 0) and B (id 1), each behind its own lock, and a
/// gate to pass before taking them.
pub struct Bank {
    gate: Mutex<()>,
    accounts: [Mutex<u64>; 2],
}

impl Bank {
    /// Both accounts hold `opening`.
    pub fn new(opening: u64) -> Self {
        Bank {
            gate: Mutex::new(()).named("gate"),
            accounts: [
                Mutex::new(opening).named("A").traced(),
                Mutex::new(opening).named("B").traced(),
            ],
        }
    }

    /// Locks `first`, then `second`, while holding the gate.
    fn lock_both(&self, first: usize, second: usize) -> (MutexGuard<'_, u64>, MutexGuard<'_, u64>) {
        let _gate = self.gate.lock().unwrap_or_else(|p| p.into_inner());
        let a = self.accounts[first].lock().unwrap_or_else(|p| p.into_inner());
        let b = self.accounts[second].lock().unwrap_or_else(|p| p.into_inner());
        (a, b)
    }

    /// Moves `amount` from account `from` to account `to` (two different ids).
    pub fn transfer(&self, from: usize, to: usize, amount: u64) {
        let (mut source, mut target) = self.lock_both(from, to);
        *source -= amount;
        *target += amount;
    }

    /// The balances of A and B, read together.
    pub fn balances(&self) -> [u64; 2] {
        let (a, b) = self.lock_both(0, 1);
        [*a, *b]
    }
}
