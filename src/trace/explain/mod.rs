//! The explanation engine: marks the steps of a failing trace that explain
//! it, by general rules over the trace alone (never a scenario's name).
//!
//! Each rule lives in its own file:
//! - [`updates`]: lost updates, acts on stale checks, ABA;
//! - [`atomicity`]: a write and its read-back, or a snapshot, split by
//!   another thread;
//! - [`memory`]: stale reads, data races (over [`hb`], happens-before as
//!   vector clocks), and the atomic access that failed to synchronise;
//! - [`order`]: reads at the wrong time (before the write a flag announced,
//!   before a write meant to precede them, or once by a looping thread);
//! - [`deadlock`]: the wait-for graph of every blocked thread, and lost
//!   wake-ups;
//! - [`sc_order`]: before any of them, a loom trace of `SeqCst`-only code
//!   put in an order sequential consistency allows, when loom ran it in
//!   one that no `SeqCst` machine shows.
//!
//! A step gets at most one mark; rules run from the most specific to the
//! most general, and a later rule leaves a marked step alone.

mod atomicity;
mod deadlock;
mod hb;
mod memory;
mod order;
mod sc_order;
mod updates;

pub use sc_order::sc_order;

use super::{Event, MarkKind, Op, Trace};

/// Why the execution failed, as far as explaining it goes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Why {
    /// It returned a forbidden outcome, or panicked.
    Wrong,
    /// Its threads blocked for ever (or ran out of steps waiting).
    Stuck,
    /// The model checker found a data race.
    DataRace,
}

fn set_mark(e: &mut Event, kind: MarkKind, text: String) {
    if e.mark.is_none() {
        e.mark = Some(text);
        e.mark_kind = Some(kind);
    }
}

/// Marks the steps of `trace` that explain why it failed; returns a summary
/// for failures that need one (a deadlock's wait-for relation, a data
/// race's two accesses).
pub fn explain(trace: &mut Trace, why: Why) -> Option<String> {
    let mut summary = match why {
        Why::Stuck => {
            let livelock = order::mark_reads_never_renewed(trace);
            let waits = deadlock::explain(trace);
            livelock.or(waits)
        }
        _ => None,
    };
    let hb = hb::compute(trace);
    let race = memory::mark_data_race(trace, &hb).or_else(|| {
        // The model saw a race that happens-before here cannot show (a
        // fence, say): the last cell access is the one it stopped at.
        (why == Why::DataRace).then(|| last_cell_race(trace)).flatten()
    });
    if let Some((a, b)) = race {
        memory::mark_older_same_value(trace, &hb, a, b);
        memory::mark_missing_sync(trace, a, b);
        if why == Why::DataRace || summary.is_none() {
            let what = |op: Op| if op == Op::CellWrite { "write" } else { "read" };
            summary = Some(format!(
                "{}'s {} of {} at step {} and {}'s {} at step {} are not ordered by any synchronisation: a data race",
                trace[b].thread,
                what(trace[b].op),
                trace[b].target,
                trace[b].step,
                trace[a].thread,
                what(trace[a].op),
                trace[a].step
            ));
        }
    }
    updates::mark_unchecked_wakeups(trace);
    updates::mark_stale_acts(trace, &hb);
    updates::mark_same_object(trace, &hb);
    order::mark_premature_reads(trace);
    atomicity::mark_read_backs(trace);
    atomicity::mark_split_reads(trace);
    atomicity::mark_torn_snapshots(trace);
    for k in memory::mark_stale_reads(trace, &hb) {
        if let Some(m) = memory::missed_write(trace, k) {
            memory::mark_missing_sync(trace, m, k);
            memory::mark_store_buffering(trace, m, k);
        }
    }
    order::mark_unmatched_releases(trace);
    if why == Why::Wrong && trace.iter().all(|e| e.mark.is_none()) {
        order::mark_read_before_write(trace);
    }
    if why == Why::Wrong && trace.iter().all(|e| e.mark.is_none()) {
        order::mark_interleaved_update(trace);
    }
    if why == Why::DataRace {
        summary
    } else {
        summary.filter(|_| why == Why::Stuck || race.is_some())
    }
}

/// The last cell access and the last conflicting access to the same cell
/// by another thread before it (what loom stops at), marked.
fn last_cell_race(trace: &mut [Event]) -> Option<(usize, usize)> {
    let is_cell = |op: Op| matches!(op, Op::CellRead | Op::CellWrite);
    let b = trace.iter().rposition(|e| is_cell(e.op))?;
    let (thread, target, op) = (trace[b].thread.clone(), trace[b].target.clone(), trace[b].op);
    let a = trace[..b].iter().rposition(|e| {
        is_cell(e.op) && e.target == target && e.thread != thread && (e.op == Op::CellWrite || op == Op::CellWrite)
    })?;
    let (sa, sb) = (trace[a].step, trace[b].step);
    set_mark(&mut trace[a], MarkKind::DataRace, format!("races with step {sb}"));
    set_mark(
        &mut trace[b],
        MarkKind::DataRace,
        format!("races with step {sa}: nothing orders them"),
    );
    Some((a, b))
}

/// How well a failing trace explains itself to a reader, higher is better:
/// 0 if a read in it is stale (true to the memory model, but a timeline
/// cannot show why), 1 if interleaving alone explains it, 2 if it also
/// marks the step that goes wrong. Reports keep the clearest trace they
/// find.
pub fn clarity(trace: &Trace) -> u8 {
    let has = |kinds: &[MarkKind]| trace.iter().any(|e| e.mark_kind.is_some_and(|k| kinds.contains(&k)));
    if has(&[MarkKind::StaleRead]) {
        0
    } else if has(&[
        MarkKind::LostUpdate,
        MarkKind::StaleCheck,
        MarkKind::Aba,
        MarkKind::AtomicityViolation,
        MarkKind::DataRace,
        MarkKind::LostWakeup,
    ]) {
        2
    } else {
        1
    }
}

/// How many times the trace's schedule took the processor from a thread
/// that could have gone on: a switch to another thread after a step that
/// did not block, by a thread that has steps left. (A step that blocked
/// shows as the thread's next `lock`, `join`, `recv` or woken `wait` coming
/// after other threads' steps; such switches are not preemptions.)
pub fn preemptions(trace: &[Event]) -> usize {
    let mut count = 0;
    for i in 0..trace.len().saturating_sub(1) {
        let (e, next) = (&trace[i], &trace[i + 1]);
        if e.thread == next.thread || matches!(e.op, Op::Blocked | Op::Note) {
            continue;
        }
        let Some(resume) = trace[i + 1..].iter().find(|x| x.thread == e.thread) else {
            continue;
        };
        let blocked_before = e.op == Op::Wait
            || match resume.op {
                // Blocked only if another thread held the lock when it lost
                // the processor (a free lock it could have taken at once is a
                // preemption), or the thread it joins had not finished.
                Op::Lock | Op::ReadLock => held_by_other(&trace[..=i], &resume.target, &e.thread),
                Op::Join => resume
                    .value
                    .as_deref()
                    .is_some_and(|child| trace[i + 1..].iter().any(|x| x.thread == child)),
                // A semaphore's acquire: blocked if no permit was free then.
                Op::Acquire => no_permit(&trace[..=i], &resume.target),
                Op::Recv | Op::Blocked => true,
                _ => false,
            };
        if !blocked_before {
            count += 1;
        }
    }
    count
}

/// Whether semaphore `target` had no free permit at the end of `trace`: its
/// last `acquire` left none (or found none); with no step of it yet, the
/// thread may have waited from the start.
fn no_permit(trace: &[Event], target: &str) -> bool {
    trace
        .iter()
        .rev()
        .find(|e| e.target == target && matches!(e.op, Op::Acquire | Op::Release))
        .is_none_or(|e| e.op == Op::Acquire && e.value.as_deref().is_some_and(|v| v.contains("(0 left)")))
}

/// Whether a thread other than `thread` holds lock `target` at the end of
/// `trace` (its last `lock` of it is not followed by its `unlock`, or a
/// `wait` that released it).
fn held_by_other(trace: &[Event], target: &str, thread: &str) -> bool {
    let mut holders: Vec<&str> = Vec::new();
    for e in trace.iter().filter(|e| e.target == target) {
        match e.op {
            Op::Lock | Op::ReadLock => holders.push(&e.thread),
            Op::Unlock | Op::ReadUnlock | Op::Wait => {
                if let Some(k) = holders.iter().rposition(|h| *h == e.thread) {
                    holders.remove(k);
                }
            }
            _ => {}
        }
    }
    holders.iter().any(|h| *h != thread)
}

#[cfg(test)]
mod tests;
