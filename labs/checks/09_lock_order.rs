//! Check for lab 09. The property: **every transfer finishes, and nobody
//! ever sees money in flight.** alice moves 10 from A to B while bob moves
//! 20 from B to A (100 in each to start): both transfers must finish (no
//! deadlock, none skipped), ending with A = 110 and B = 90; and an audit
//! (`balances()`) made while they run must see a state that whole
//! transfers give — never one where money has left one account and not yet
//! arrived in the other. Under every schedule loom and shuttle explore with
//! two clerks alone, and shuttle's with a third thread auditing (see
//! `opposite_transfers_while_carol_audits` for why not loom's).

use super::exercise;

use std::fmt;

use racelab::explore::{Grade, Scenario};
use racelab::sync::{thread, Arc};

/// Each account's opening balance.
const OPENING: u64 = 100;

/// A transfer: (clerk, from, to, amount).
type Transfer = (&'static str, usize, usize, u64);

/// alice moves 10 from A to B, bob 20 from B to A. Amounts differ, so a
/// lost or half-done transfer shows in the balances.
const DIFFERENT: [Transfer; 2] = [("alice", 0, 1, 10), ("bob", 1, 0, 20)];

/// Both move 10: A goes back to a value it had, so an audit that trusts an
/// unchanged A to mean "nothing moved" shows.
const EQUAL: [Transfer; 2] = [("alice", 0, 1, 10), ("bob", 1, 0, 10)];

/// The balances after the given transfers, from the opening balances.
fn after(transfers: &[Transfer]) -> [u64; 2] {
    let mut b = [OPENING; 2];
    for &(_, from, to, amount) in transfers {
        b[from] -= amount;
        b[to] += amount;
    }
    b
}

/// What an audit may see: no transfer yet, one of them only, both.
fn whole(transfers: &[Transfer; 2]) -> [[u64; 2]; 4] {
    [
        after(&[]),
        after(&transfers[..1]),
        after(&transfers[1..]),
        after(transfers),
    ]
}

/// What carol's audit saw (if there was one), and the balances at the end,
/// with what the end should be.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
struct Books {
    audit: Option<[u64; 2]>,
    after: [u64; 2],
    wanted: [u64; 2],
}

fn balances(b: [u64; 2]) -> String {
    format!("A = {}, B = {}", b[0], b[1])
}

impl fmt::Display for Books {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(seen) = self.audit {
            write!(f, "carol saw {}", balances(seen))?;
            let total = seen[0] + seen[1];
            if total != 2 * OPENING {
                write!(f, " (total {total}: a transfer half done)")?;
            }
            f.write_str("; ")?;
        }
        write!(f, "at the end {}", balances(self.after))?;
        if self.after != self.wanted {
            let total = self.after[0] + self.after[1];
            if total == 2 * OPENING {
                f.write_str(" (a transfer did not happen)")?;
            } else {
                write!(f, " (total {total}: money appeared or vanished)")?;
            }
        }
        Ok(())
    }
}

/// alice and bob make `transfers` in opposite directions; with `audit`,
/// carol reads both balances once while they do.
fn scenario(transfers: [Transfer; 2], audit: bool) -> Scenario<Books> {
    let [(a, _, _, x), (b, _, _, y)] = transfers;
    let name = format!(
        "lab 09: {a} {x} A->B, {b} {y} B->A{}",
        if audit { ", carol audits" } else { "" }
    );
    let (wanted, whole) = (after(&transfers), whole(&transfers));
    Scenario::new(name, move || {
        let bank = Arc::new(exercise::Bank::new(OPENING));
        let clerks: Vec<_> = transfers
            .into_iter()
            .map(|(name, from, to, amount)| {
                let bank = Arc::clone(&bank);
                thread::Builder::new()
                    .name(name)
                    .spawn(move || bank.transfer(from, to, amount))
                    .expect("spawn a clerk")
            })
            .collect();
        let auditor = audit.then(|| {
            let bank = Arc::clone(&bank);
            thread::Builder::new()
                .name("carol")
                .spawn(move || bank.balances())
                .expect("spawn the auditor")
        });
        let audit = auditor.map(|carol| carol.join().expect("carol panicked"));
        for clerk in clerks {
            clerk.join().expect("a clerk panicked");
        }
        Books {
            audit,
            after: bank.balances(),
            wanted,
        }
    })
    .expect(
        format!(
            "both transfers done ({}){}",
            balances(wanted),
            if audit {
                ", and carol sees whole transfers only (A + B = 200)"
            } else {
                ""
            }
        ),
        move |b: &Books| {
            if b.after == b.wanted && b.audit.is_none_or(|seen| whole.contains(&seen)) {
                Grade::Acceptable
            } else {
                Grade::Forbidden
            }
        },
    )
}

/// alice moves 10 from A to B while bob moves 20 from B to A: both finish.
#[test]
fn opposite_transfers_both_finish() {
    racelab_labs::check(scenario(DIFFERENT, false), racelab_labs::MODELS);
}

/// The same two transfers while carol audits: both finish, and carol never
/// sees money that has left one account and not reached the other.
///
/// Under shuttle only. With three threads, loom also explores schedules in
/// which a thread that could run never runs again (its `yield_now` is not
/// fair): a correct back-off with `try_lock` (lock one account, try the
/// other, let go and retry) then looks like a livelock, two threads taking
/// turns to fail while the third, which holds what they need, starves.
/// shuttle's schedules are random, so a starved thread runs in the end, as
/// on a real machine. loom checks the two transfers alone, above.
#[test]
fn opposite_transfers_while_carol_audits() {
    racelab_labs::check(scenario(DIFFERENT, true), &[racelab::sync::Backend::Shuttle]);
}

/// Two transfers of the same amount, so that A comes back to 100 while bob's
/// transfer is half done: an audit that reads A, then B, then A again, and
/// trusts an unchanged A, sees a total of 210. Under shuttle, as above.
#[test]
fn equal_opposite_transfers_while_carol_audits() {
    racelab_labs::check(scenario(EQUAL, true), &[racelab::sync::Backend::Shuttle]);
}
