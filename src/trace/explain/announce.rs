//! Announcements made too early: a thread sets a flag or a state that says
//! "done" (a store, a compare-exchange) before it writes what the
//! announcement stands for. A reader that acts on the announcement reads
//! the data before it is written (marked on the read), or races with the
//! write (marked on the announcement): MP with the flag set first,
//! FutureTask's `RAN` before the result, PostgreSQL's `SYNC_REP_COMPLETE`
//! before the process left the queue.

use crate::trace::{Event, MarkKind, Op};

use super::set_mark;
use super::updates::is_flag;

/// Marks a read that came before the write it was meant to see: T read an
/// announcement x (an atomic boolean, or a state U set by a store or a
/// compare-exchange) from U's write, then read y, and U wrote y only later,
/// although U's program wrote y after x. U announced before publishing what
/// the announcement stands for (an order violation, marked on U's write),
/// and T acted on it (marked on T's read).
pub(super) fn mark_premature_reads(trace: &mut [Event]) {
    for j in 0..trace.len() {
        if !trace[j].only_reads() || trace[j].mark.is_some() || trace[j].target.is_empty() {
            continue;
        }
        let (thread, y) = (trace[j].thread.clone(), trace[j].target.clone());
        let found = (0..j).rev().find_map(|i| {
            let e = &trace[i];
            if e.thread != thread || e.target == y || !e.only_reads() || e.ordering.is_none() || e.read.is_none() {
                return None;
            }
            let wx = super::hb::read_from(trace, i)?;
            let u = &trace[wx].thread;
            if *u == thread {
                return None;
            }
            // An announcement: a flag, or a state set outright (a count's
            // increment announces nothing).
            let flag = is_flag(e.read.as_deref());
            if !flag && !matches!(trace[wx].op, Op::Store | Op::CompareExchange | Op::Swap) {
                return None;
            }
            // What a flag publishes is data: a flag read after a flag is a
            // state of its own (polled, or read as it stands).
            if flag && is_flag(trace[j].read.as_deref()) {
                return None;
            }
            // A word U claimed (a read-modify-write that changed it) and
            // puts back later is a lock, not a flag that publishes y.
            let claim = &trace[wx];
            if claim.op.writes()
                && claim.read.is_some()
                && claim.read != claim.wrote
                && trace[wx + 1..]
                    .iter()
                    .any(|k| &k.thread == u && k.target == claim.target && k.writes() && k.wrote == claim.read)
            {
                return None;
            }
            // U writes y after its write of x, and after T's read of y.
            let wy =
                (j + 1..trace.len()).find(|&k| &trace[k].thread == u && trace[k].target == y && trace[k].writes())?;
            publishes(trace, wx, wy).then_some((i, wx, wy))
        });
        if let Some((i, wx, wy)) = found {
            let (x, u) = (trace[i].target.clone(), trace[wx].thread.clone());
            let text = format!(
                "reads {y} before {u} writes it (step {}): it acted on {x} at step {}, which {u} set at step {}, before \
                 that write (set {x} after publishing what it announces)",
                trace[wy].step, trace[i].step, trace[wx].step
            );
            set_mark(&mut trace[j], MarkKind::StaleCheck, text);
            let text = format!(
                "announces {x} = {} before writing {y} (step {}): {} read {x} at step {} and then {y} at step {}, \
                 before that write (write {y} first, then announce)",
                trace[wx].wrote.as_deref().unwrap_or("?"),
                trace[wy].step,
                thread,
                trace[i].step,
                trace[j].step
            );
            set_mark(&mut trace[wx], MarkKind::OrderViolation, text);
        }
    }
}

/// For a data race between `a` (earlier) and `b`: the announcement that
/// let the later thread go on, made before the write it raced with. T's
/// last atomic read before `b` read U's write of x, which U made before its
/// racing write `a`: U announced first and wrote after, so reading the
/// announcement orders nothing of that write (FutureTask's state set to
/// `RAN` before the result). Marks U's announcement.
pub(super) fn mark_early_announcement(trace: &mut [Event], a: usize, b: usize) {
    // m: U's racing write; k: T's access (before or after it).
    let (m, k) = if trace[a].writes() { (a, b) } else { (b, a) };
    if !trace[m].writes() || trace[m].thread == trace[k].thread {
        return;
    }
    let (t, u) = (trace[k].thread.clone(), trace[m].thread.clone());
    let found = (0..k).rev().find_map(|r| {
        let e = &trace[r];
        if e.thread != t || e.ordering.is_none() || e.read.is_none() || e.op.writes() {
            return None;
        }
        let wx = super::hb::read_from(trace, r)?;
        (trace[wx].thread == u
            && wx < m
            && matches!(trace[wx].op, Op::Store | Op::CompareExchange | Op::Swap)
            && publishes(trace, wx, m))
        .then_some((r, wx))
    });
    let Some((r, wx)) = found else { return };
    let (x, y) = (trace[wx].target.clone(), trace[m].target.clone());
    let text =
        format!(
        "announces {x} = {} before writing {y} (step {}): {t} read {x} at step {} and then {y} at step {}, {} (write \
         {y} first, then announce)",
        trace[wx].wrote.as_deref().unwrap_or("?"),
        trace[m].step,
        trace[r].step,
        trace[k].step,
        if k < m { "before that write" } else { "which nothing orders after that write" },
    );
    set_mark(&mut trace[wx], MarkKind::OrderViolation, text);
}

/// Whether U's write `wx` announces its later write `wy` (of another
/// object): `wy` publishes data (a blind write, no update of what U read),
/// U wrote that object for the first time there (no earlier write that a
/// reader could have been meant to see), and `wx` is no claim of a lock
/// (a flag taken by compare-exchange or swap).
fn publishes(trace: &[Event], wx: usize, wy: usize) -> bool {
    let (u, y) = (&trace[wx].thread, &trace[wy].target);
    let claim = matches!(trace[wx].op, Op::CompareExchange | Op::Swap) && is_flag(trace[wx].wrote.as_deref());
    let earlier = trace[..wx]
        .iter()
        .any(|e| &e.thread == u && &e.target == y && e.writes());
    !claim && !earlier && super::updates::basis(trace, wy).is_none()
}
