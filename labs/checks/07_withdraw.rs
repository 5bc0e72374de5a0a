//! Check for lab 07: tellers withdraw from one account at once. Whatever
//! the schedule, the account is never overdrawn, every granted withdrawal
//! is booked, and a withdrawal is refused only when the balance cannot
//! cover it. Checked with two tellers under loom and shuttle, and with
//! three under shuttle (see `three_tellers_get_what_some_order_of_them_gives`
//! for why), at sizes chosen so that a refusal and a lost race give
//! different results.

use super::exercise;

use std::fmt;

use racelab::explore::{Explorer, Grade, Scenario};
use racelab::sync::{thread, Arc};

/// What the account holds before the tellers start.
const OPENING: u64 = 100;

/// Who asked for how much, and whether they got it.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
struct Withdrawal {
    teller: &'static str,
    amount: u64,
    granted: bool,
}

/// The withdrawals and the final balance (signed: below zero, the `u64`
/// wrapped around).
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
struct Books {
    withdrawals: Vec<Withdrawal>,
    balance: i64,
}

impl Books {
    /// What the balance must be: the opening minus every granted amount.
    fn booked(&self) -> i64 {
        let granted: u64 = self.withdrawals.iter().filter(|w| w.granted).map(|w| w.amount).sum();
        OPENING as i64 - granted as i64
    }

    /// A refused withdrawal the final balance could still cover. The
    /// balance only goes down, so it could cover it when it was refused too.
    fn wrongly_refused(&self) -> Option<&Withdrawal> {
        self.withdrawals
            .iter()
            .find(|w| !w.granted && self.balance >= 0 && w.amount as i64 <= self.balance)
    }

    /// Never overdrawn, every granted withdrawal booked, nothing refused
    /// that the balance covers (exactly what some one-at-a-time order of
    /// the same withdrawals would give).
    fn correct(&self) -> bool {
        self.balance >= 0 && self.balance == self.booked() && self.wrongly_refused().is_none()
    }
}

impl fmt::Display for Books {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for w in &self.withdrawals {
            let verdict = if w.granted { "granted" } else { "refused" };
            write!(f, "{} {} {verdict}, ", w.teller, w.amount)?;
        }
        write!(f, "balance {}", self.balance)?;
        if self.balance < 0 {
            write!(f, " (overdrawn by {})", -self.balance)
        } else if self.balance != self.booked() {
            write!(f, " (the granted withdrawals leave {})", self.booked())
        } else if let Some(w) = self.wrongly_refused() {
            write!(f, " ({} was refused {} that the balance covers)", w.teller, w.amount)
        } else {
            Ok(())
        }
    }
}

/// One teller per `(name, amount)`, all withdrawing from one account that
/// holds [`OPENING`] at once; the name says the size ("80 and 80 from 100").
fn withdrawals(tellers: &'static [(&'static str, u64)]) -> Scenario<Books> {
    let amounts: Vec<String> = tellers.iter().map(|(_, a)| a.to_string()).collect();
    let name = match amounts.as_slice() {
        [init @ .., last] => format!("lab 07: {} and {last} from {OPENING}", init.join(", ")),
        [] => unreachable!("a scenario has tellers"),
    };
    Scenario::new(name, move || {
        let account = Arc::new(exercise::Account::new(OPENING));
        let handles: Vec<_> = tellers
            .iter()
            .map(|&(teller, amount)| {
                let account = Arc::clone(&account);
                thread::Builder::new()
                    .name(teller.to_owned())
                    .spawn(move || account.withdraw(amount))
                    .expect("spawn a teller")
            })
            .collect();
        let withdrawals = tellers
            .iter()
            .zip(handles)
            .map(|(&(teller, amount), h)| Withdrawal {
                teller,
                amount,
                granted: h.join().expect("a teller panicked"),
            })
            .collect();
        Books {
            withdrawals,
            balance: account.balance() as i64,
        }
    })
    .expect(
        "never overdrawn, every granted withdrawal booked, and a withdrawal refused only when the balance cannot cover it",
        |b: &Books| if b.correct() { Grade::Acceptable } else { Grade::Forbidden },
    )
}

/// Only one of two 80s fits in 100: exactly one is granted, 20 is left
/// (both granted overdraws the account).
#[test]
fn one_of_two_large_withdrawals_is_granted() {
    racelab_labs::check(withdrawals(&[("alice", 80), ("bob", 80)]), racelab_labs::MODELS);
}

/// 30 and 50 both fit in 100: both are granted, whatever the schedule, and
/// 20 is left (a withdrawal that lost a race to the other must try again,
/// not give up).
#[test]
fn two_withdrawals_that_both_fit_are_both_granted() {
    racelab_labs::check(withdrawals(&[("alice", 30), ("bob", 50)]), racelab_labs::MODELS);
}

/// Three tellers, under shuttle with more priority changes and schedules
/// than its defaults. Not loom: with three threads, loom also explores
/// schedules in which a thread that could run never runs again (its yield is
/// not fair), so a correct spin lock, two tellers spinning while the third
/// holds it, would look like a livelock.
fn three_tellers() -> [Explorer; 1] {
    [Explorer::shuttle().with_depth(5).with_budget(3000)]
}

/// 60, 30 and 50 from 100: 60 and 30, or 30 and 50, are granted, and the
/// third is refused only because it no longer fits.
#[test]
fn three_tellers_get_what_some_order_of_them_gives() {
    racelab_labs::check_with(
        withdrawals(&[("alice", 60), ("bob", 30), ("carol", 50)]),
        &three_tellers(),
    );
}

/// 80, 80 and 50 from 100: only one of them fits at a time. A refused
/// withdrawal must never have touched the balance: one that takes the money
/// and gives it back when it did not fit leaves, meanwhile, a balance that
/// wrapped around, and a third teller is granted money that is not there.
#[test]
fn a_refused_withdrawal_never_shows_a_balance_it_did_not_have() {
    racelab_labs::check_with(
        withdrawals(&[("alice", 80), ("bob", 80), ("carol", 50)]),
        &three_tellers(),
    );
}

/// 10, 10 and 10 from 100: all three fit, whatever the order, so all three
/// are granted. A teller that loses the race twice must try again: giving up
/// after a few tries refuses money the account has.
#[test]
fn three_small_withdrawals_are_all_granted() {
    racelab_labs::check_with(
        withdrawals(&[("alice", 10), ("bob", 10), ("carol", 10)]),
        &three_tellers(),
    );
}
