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

/// The transfers: (clerk, from, to, amount). Amounts differ, so a lost or
/// half-done transfer shows in the balances.
const TRANSFERS: [(&str, usize, usize, u64); 2] = [("alice", 0, 1, 10), ("bob", 1, 0, 20)];

/// The balances once both transfers are done.
const FINAL: [u64; 2] = [110, 90];

/// What an audit may see: no transfer yet, alice's only, bob's only, both.
const WHOLE: [[u64; 2]; 4] = [[100, 100], [90, 110], [120, 80], [110, 90]];

/// What carol's audit saw (if there was one), and the balances at the end.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
struct Books {
    audit: Option<[u64; 2]>,
    after: [u64; 2],
}

impl Books {
    fn holds(&self) -> bool {
        self.after == FINAL && self.audit.is_none_or(|seen| WHOLE.contains(&seen))
    }
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
        if self.after != FINAL {
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

/// alice and bob transfer in opposite directions; with `audit`, carol
/// reads both balances once while they do.
fn scenario(name: &str, audit: bool) -> Scenario<Books> {
    Scenario::new(name, move || {
        let bank = Arc::new(exercise::Bank::new(OPENING));
        let clerks: Vec<_> = TRANSFERS
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
        }
    })
    .expect(
        format!(
            "both transfers done ({}){}",
            balances(FINAL),
            if audit {
                ", and carol sees whole transfers only (A + B = 200)"
            } else {
                ""
            }
        ),
        |b: &Books| if b.holds() { Grade::Acceptable } else { Grade::Forbidden },
    )
}

/// alice moves 10 from A to B while bob moves 20 from B to A: both finish.
#[test]
fn opposite_transfers_both_finish() {
    racelab_labs::check(
        scenario("lab 09: alice 10 A->B, bob 20 B->A", false),
        racelab_labs::MODELS,
    );
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
    racelab_labs::check(
        scenario("lab 09: alice 10 A->B, bob 20 B->A, carol audits", true),
        &[racelab::sync::Backend::Shuttle],
    );
}
