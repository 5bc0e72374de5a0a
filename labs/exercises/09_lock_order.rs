//! Lab 09 — Two transfers, stuck forever.
//!
//! The lecture's fix for a race (section on the GIL: "make the second user
//! wait") is a lock. A transfer needs two: the account the money leaves and
//! the account it goes to. alice moves money from A to B while bob moves
//! money from B to A, and each transfer locks its two accounts itself;
//! then again while carol audits both balances.
//!
//! Edit only this file. Check it with `racelab check 9`.

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
        // TODO: a transfer in the other direction may hold `to` already, and
        // wait for `from`, which this one holds: neither can ever go on.
        let mut source = self.accounts[from].lock().unwrap_or_else(|p| p.into_inner());
        let mut target = self.accounts[to].lock().unwrap_or_else(|p| p.into_inner());
        *source -= amount;
        *target += amount;
    }

    /// The balances of A and B, read together: A is locked, then B, and
    /// both are held while they are read (an audit never sees a transfer
    /// half done).
    pub fn balances(&self) -> [u64; 2] {
        let a = self.accounts[0].lock().unwrap_or_else(|p| p.into_inner());
        let b = self.accounts[1].lock().unwrap_or_else(|p| p.into_inner());
        [*a, *b]
    }
}
