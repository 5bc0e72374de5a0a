// RIGHT: whoever needs both accounts locks one and only tries the other, letting go and starting over when it is taken: nobody waits while holding.
use racelab::sync::{Mutex, MutexGuard, TryLockError};

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

    /// Locks `first`, then tries `second`; if that is taken, lets go of
    /// `first`, yields, and starts over.
    fn lock_both(&self, first: usize, second: usize) -> (MutexGuard<'_, u64>, MutexGuard<'_, u64>) {
        loop {
            let a = self.accounts[first].lock().unwrap_or_else(|p| p.into_inner());
            match self.accounts[second].try_lock() {
                Ok(b) => return (a, b),
                Err(TryLockError::Poisoned(p)) => return (a, p.into_inner()),
                Err(TryLockError::WouldBlock) => {
                    drop(a);
                    racelab::sync::thread::yield_now();
                }
            }
        }
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
