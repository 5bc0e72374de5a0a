//! Check for lab 09: when alice moves 10 from A to B while bob moves 20
//! from B to A, both transfers finish and no money appears or vanishes,
//! under every schedule loom and shuttle explore.

use super::exercise;

use std::fmt;

use racelab::explore::Scenario;
use racelab::sync::{thread, Arc};

/// The balances of A and B once both transfers are done.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
struct Balances([u64; 2]);

impl fmt::Display for Balances {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "A = {}, B = {}", self.0[0], self.0[1])
    }
}

#[test]
fn opposite_transfers_both_finish_under_every_schedule() {
    let scenario = Scenario::new("lab 09: lock order", || {
        let bank = Arc::new(exercise::Bank::new(100));
        // alice: 10 from A (0) to B (1); bob: 20 from B to A.
        let clerks: Vec<_> = [("alice", 0, 1, 10), ("bob", 1, 0, 20)]
            .into_iter()
            .map(|(name, from, to, amount)| {
                let bank = Arc::clone(&bank);
                thread::Builder::new()
                    .name(name.to_owned())
                    .spawn(move || bank.transfer(from, to, amount))
                    .expect("spawn a clerk")
            })
            .collect();
        for clerk in clerks {
            clerk.join().expect("a clerk panicked");
        }
        Balances(bank.balances())
    })
    .expect_only(Balances([110, 90]));
    racelab_labs::check(scenario, racelab_labs::MODELS);
}
