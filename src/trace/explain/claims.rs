//! Lock words: a compare-exchange that "takes" a lock by writing the value
//! already there (`true -> true`) changes nothing, so it excludes no one.
//! The holder that claimed the word is still inside, and now the second
//! thread is too.
//!
//! The rule: a compare-exchange by T that succeeds with the value it found
//! (nothing changed), where that value is another thread U's claim (a
//! read-modify-write of U's that changed the word) and U puts the word back
//! as it found it only later (its release), or, for a flag, not before the
//! execution stopped, if T's failed attempt just before found the claim:
//! that is where T's expected value came from.

use crate::trace::{Event, MarkKind, Op};

use super::set_mark;

/// Marks compare-exchanges that claim a word another thread holds.
pub(super) fn mark_empty_claims(trace: &mut [Event]) {
    for k in 0..trace.len() {
        let e = &trace[k];
        if e.op != Op::CompareExchange || e.read.is_none() || e.read != e.wrote || e.mark.is_some() {
            continue;
        }
        // The write it found: another thread's claim, which changed the word.
        let Some(w) = (0..k).rev().find(|&i| trace[i].target == e.target && trace[i].writes()) else {
            continue;
        };
        let u = &trace[w];
        if u.thread == e.thread || !u.op.writes() || u.read.is_none() || u.read == u.wrote || u.wrote != e.read {
            continue;
        }
        // Its release: the claimer puts the word back, after this exchange
        // (or not at all before the execution stopped, a data race say).
        let rel = (k + 1..trace.len()).find(|&i| {
            let x = &trace[i];
            x.thread == u.thread && x.target == e.target && x.writes()
        });
        if rel.is_some_and(|r| trace[r].wrote != u.read) {
            continue;
        }
        let failed = (w + 1..k).rev().find(|&i| {
            let x = &trace[i];
            x.thread == e.thread && x.target == e.target && x.op == Op::CompareExchangeFailed && x.read == e.read
        });
        // With no release to show it a lock word, a flag must be one, and
        // the retry must take its expected value from a failed attempt that
        // found the claim, not from a read since (a counter's compare-exchange
        // of a fresh expected value and a stale new one is a lost update).
        let retried = failed.is_some_and(|f| {
            !trace[f + 1..k]
                .iter()
                .any(|x| x.thread == e.thread && x.target == e.target && x.reads())
        });
        if rel.is_none() && !(retried && super::updates::is_flag(e.read.as_deref())) {
            continue;
        }
        let v = e.read.as_deref().unwrap_or("?");
        let text = format!(
            "takes {x} although {holder} holds it ({held}): exchanging {v} for {v} changes nothing, so it excludes \
             no one{why}",
            x = e.target,
            holder = u.thread,
            held = match rel {
                Some(r) => format!("claimed at step {}, put back only at step {}", u.step, trace[r].step),
                None => format!("claimed at step {}, not put back", u.step),
            },
            why = failed
                .map(|f| format!(
                    "; it expected {v} because its failed attempt at step {} found {v}",
                    trace[f].step
                ))
                .unwrap_or_default(),
        );
        set_mark(&mut trace[k], MarkKind::AtomicityViolation, text);
    }
}
