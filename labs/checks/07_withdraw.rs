//! Check for lab 07: when alice and bob each withdraw 80 from 100, exactly
//! one is granted and 20 is left, under every schedule loom and shuttle
//! explore.

use super::exercise;

use std::fmt;

use racelab::explore::Scenario;
use racelab::sync::{thread, Arc};

/// The final balance (signed: below zero the `u64` wrapped around) and how
/// many withdrawals were granted.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
struct Books {
    balance: i64,
    granted: u32,
}

impl fmt::Display for Books {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "balance {}, {} granted", self.balance, self.granted)?;
        if self.balance < 0 {
            write!(f, " (overdrawn by {})", -self.balance)?;
        }
        Ok(())
    }
}

#[test]
fn the_account_is_never_overdrawn_under_every_schedule() {
    let scenario = Scenario::new("lab 07: overdrawn", || {
        let account = Arc::new(exercise::Account::new(100));
        let tellers: Vec<_> = ["alice", "bob"]
            .into_iter()
            .map(|name| {
                let account = Arc::clone(&account);
                thread::Builder::new()
                    .name(name.to_owned())
                    .spawn(move || account.withdraw(80))
                    .expect("spawn a teller")
            })
            .collect();
        let granted = tellers
            .into_iter()
            .map(|t| u32::from(t.join().expect("a teller panicked")))
            .sum();
        Books {
            balance: account.balance() as i64,
            granted,
        }
    })
    .expect_only(Books {
        balance: 20,
        granted: 1,
    });
    racelab_labs::check(scenario, racelab_labs::MODELS);
}
