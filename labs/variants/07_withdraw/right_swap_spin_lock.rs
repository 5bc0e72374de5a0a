// RIGHT: a swap-based spin lock (swap(true, Acquire) until false, yielding via hint::spin_loop; store(false, Release)) held across the check and the debit; the balance is only written inside it.
use racelab::sync::atomic::{AtomicBool, AtomicU64, Ordering::{Acquire, Relaxed, Release}};
use racelab::sync::hint;

pub struct Account {
    balance: AtomicU64,
    locked: AtomicBool,
}

impl Account {
    pub fn new(opening: u64) -> Self {
        Account {
            balance: AtomicU64::new(opening).named("balance"),
            locked: AtomicBool::new(false).named("locked"),
        }
    }

    pub fn withdraw(&self, amount: u64) -> bool {
        while self.locked.swap(true, Acquire) {
            hint::spin_loop();
        }
        let b = self.balance.load(Relaxed);
        let ok = b >= amount;
        if ok {
            self.balance.store(b - amount, Relaxed);
        }
        self.locked.store(false, Release);
        ok
    }

    pub fn balance(&self) -> u64 {
        self.balance.load(Relaxed)
    }
}
