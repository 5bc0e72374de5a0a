//! The explanation engine: marks the steps of a failing trace that explain
//! it, by general rules over the trace alone (never a scenario's name).
//!
//! Each rule lives in its own file:
//! - [`updates`]: lost updates, acts on stale checks of the object written,
//!   ABA;
//! - [`stale_acts`]: acts on a stale check of another object, and a count
//!   raised from zero (get after zero);
//! - [`atomicity`]: a write and its read-back, or a snapshot, split by
//!   another thread;
//! - [`claims`]: a compare-exchange that takes a lock word another thread
//!   holds, by writing the value already there;
//! - [`memory`]: stale reads, data races (over [`hb`], happens-before as
//!   vector clocks), and the atomic access that failed to synchronise
//!   (through a third thread: [`chains`]);
//! - [`order`]: reads at the wrong time (before a write meant to precede
//!   them, or once by a looping thread), and releases of what was never
//!   acquired;
//! - [`announce`]: a flag or a state set before what it announces is
//!   written;
//! - [`deadlock`]: the wait-for graph of every blocked thread, from
//!   [`givers`] (who could still give each what it waits for);
//! - [`wakeups`]: lost wake-ups, and a `notify_one` that woke the wrong
//!   waiter;
//! - [`woken`]: a woken thread (or one about to wait) that acts on a check
//!   the wake-up did not renew;
//! - [`livelock`]: threads spinning on each other's flags, or looping on
//!   a value read once;
//! - [`progress`]: whether an execution the step limit cut short was still
//!   on its way (a long spin) rather than livelocked;
//! - [`sc_order`]: before any of them, a loom trace put in an order
//!   sequential consistency allows with the same values read, when loom ran
//!   it in one that no `SeqCst` machine shows.
//!
//! A step gets at most one mark; rules run from the most specific to the
//! most general, and a later rule leaves a marked step alone.

mod announce;
mod atomicity;
mod chains;
mod claims;
mod deadlock;
mod givers;
mod hb;
mod livelock;
mod memory;
mod order;
mod progress;
mod sc_order;
mod stale_acts;
mod updates;
mod wakeups;
mod woken;

pub use progress::still_progressing;
pub use sc_order::{beyond_seq_cst, sc_order};

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
            livelock::mark_unseen_values(trace);
            let looping = livelock::mark_spin_cycles(trace).or_else(|| livelock::mark_reads_never_renewed(trace));
            let waits = deadlock::explain(trace);
            looping.or(waits)
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
        let _ = memory::mark_older_same_value(trace, &hb, a, b);
        memory::mark_missing_sync(trace, a, b);
        order::mark_check_before_race(trace, a, b);
        announce::mark_early_announcement(trace, a, b);
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
    claims::mark_empty_claims(trace);
    woken::mark_unchecked_wakeups(trace);
    woken::mark_unchecked_waits(trace);
    woken::mark_waits_on_changed_checks(trace);
    woken::mark_acts_on_stale_wakeups(trace);
    woken::mark_stale_notifies(trace);
    stale_acts::mark_revived_counts(trace);
    stale_acts::mark_stale_acts(trace, &hb);
    updates::mark_same_object(trace, &hb);
    updates::mark_acts_after_reread(trace);
    updates::mark_overwrites_in_write_order(trace, &hb);
    stale_acts::mark_checks_made_stale_inside(trace);
    announce::mark_premature_reads(trace);
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
        atomicity::mark_split_writes(trace);
    }
    if why == Why::Wrong && trace.iter().all(|e| e.mark.is_none()) {
        order::mark_read_before_write(trace);
    }
    if why == Why::Wrong && trace.iter().all(|e| e.mark.is_none()) && !order::mark_announced_before_acquired(trace) {
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
    let (a, b) = last_cell_pair(trace)?;
    let (sa, sb) = (trace[a].step, trace[b].step);
    set_mark(&mut trace[a], MarkKind::DataRace, format!("races with step {sb}"));
    set_mark(
        &mut trace[b],
        MarkKind::DataRace,
        format!("races with step {sa}: nothing orders them"),
    );
    Some((a, b))
}

/// The last cell access and the last conflicting access to the same cell
/// by another thread before it, as (earlier, later) indices.
fn last_cell_pair(trace: &[Event]) -> Option<(usize, usize)> {
    let is_cell = |op: Op| matches!(op, Op::CellRead | Op::CellWrite);
    let b = trace.iter().rposition(|e| is_cell(e.op))?;
    let (thread, target, op) = (&trace[b].thread, &trace[b].target, trace[b].op);
    let a = trace[..b].iter().rposition(|e| {
        is_cell(e.op) && &e.target == target && &e.thread != thread && (e.op == Op::CellWrite || op == Op::CellWrite)
    })?;
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
    use std::collections::HashMap;
    // One pass (traces of spin loops run to thousands of steps): each
    // event's thread's next event, each thread's last, and, as the pass
    // goes, who holds each lock and each semaphore's last acquire or
    // release.
    let mut next_own = vec![None; trace.len()];
    let mut seen: HashMap<&str, usize> = HashMap::new();
    let mut last: HashMap<&str, usize> = HashMap::new();
    for (i, e) in trace.iter().enumerate().rev() {
        next_own[i] = seen.insert(e.thread.as_str(), i);
        last.entry(e.thread.as_str()).or_insert(i);
    }
    let mut holders: HashMap<&str, Vec<&str>> = HashMap::new();
    let mut semaphore: HashMap<&str, &Event> = HashMap::new();
    let mut count = 0;
    for i in 0..trace.len() {
        let e = &trace[i];
        match e.op {
            Op::Lock | Op::ReadLock => holders.entry(e.target.as_str()).or_default().push(&e.thread),
            Op::Unlock | Op::ReadUnlock | Op::Wait => {
                if let Some(h) = holders.get_mut(e.target.as_str()) {
                    if let Some(k) = h.iter().rposition(|t| *t == e.thread) {
                        h.remove(k);
                    }
                }
            }
            Op::Acquire | Op::Release => {
                semaphore.insert(e.target.as_str(), e);
            }
            _ => {}
        }
        let Some(next) = trace.get(i + 1) else { break };
        // A thread that yielded gave the processor up itself.
        if e.thread == next.thread || e.yielded || matches!(e.op, Op::Blocked | Op::Note) {
            continue;
        }
        let Some(resume) = next_own[i].map(|k| &trace[k]) else {
            continue;
        };
        let blocked_before = e.op == Op::Wait
            || match resume.op {
                // Blocked only if another thread held the lock when it lost
                // the processor (a free lock it could have taken at once is a
                // preemption), or the thread it joins had not finished.
                Op::Lock | Op::ReadLock => holders
                    .get(resume.target.as_str())
                    .is_some_and(|h| h.iter().any(|t| *t != e.thread)),
                Op::Join => resume
                    .value
                    .as_deref()
                    .is_some_and(|child| last.get(child).is_some_and(|&l| l > i)),
                // A semaphore's acquire: blocked if no permit was free then
                // (its last acquire left none; with none yet, it may have
                // waited from the start).
                Op::Acquire => semaphore
                    .get(resume.target.as_str())
                    .is_none_or(|s| s.op == Op::Acquire && s.value.as_deref().is_some_and(|v| v.contains("(0 left)"))),
                Op::Recv | Op::Blocked => true,
                _ => false,
            };
        if !blocked_before {
            count += 1;
        }
    }
    count
}

#[cfg(test)]
mod tests;
