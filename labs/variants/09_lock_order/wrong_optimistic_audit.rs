// WRONG: audit reads A and B one lock at a time and accepts the pair if a re-read of A is unchanged; A can return to the same value (A->B 10 then B->A 10) while B was read mid-way, so the audit can be torn (not triggerable with this check's amounts 10/20).
use racelab::sync::Mutex;

pub struct Bank {
    accounts: [Mutex<u64>; 2],
}

impl Bank {
    pub fn new(opening: u64) -> Self {
        Bank {
            accounts: [
                Mutex::new(opening).named("A").traced(),
                Mutex::new(opening).named("B").traced(),
            ],
        }
    }

    pub fn transfer(&self, from: usize, to: usize, amount: u64) {
        let (lo, hi) = (from.min(to), from.max(to));
        let mut g_lo = self.accounts[lo].lock().unwrap_or_else(|p| p.into_inner());
        let mut g_hi = self.accounts[hi].lock().unwrap_or_else(|p| p.into_inner());
        if from == lo {
            *g_lo -= amount;
            *g_hi += amount;
        } else {
            *g_hi -= amount;
            *g_lo += amount;
        }
    }

    pub fn balances(&self) -> [u64; 2] {
        loop {
            let a = *self.accounts[0].lock().unwrap_or_else(|p| p.into_inner());
            let b = *self.accounts[1].lock().unwrap_or_else(|p| p.into_inner());
            let a2 = *self.accounts[0].lock().unwrap_or_else(|p| p.into_inner());
            if a == a2 {
                return [a, b];
            }
        }
    }
}
