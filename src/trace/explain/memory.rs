//! What the memory model allowed: stale reads, accesses that nothing
//! orders (data races), and the atomic access that failed to order them.
//!
//! - A *stale read* returns a value other than the one the latest write
//!   before it (in the timeline) wrote. Interleaving alone cannot do that;
//!   the memory model can, when nothing orders that write before the read.
//!   A read-modify-write is never stale: it reads the latest value in the
//!   atomic's order of writes, so the write it did not see is ordered after
//!   it.
//! - A *data race*: two accesses to one cell, one a write, by different
//!   threads, with no happens-before between them ([`super::hb`]).
//! - *No synchronisation*: for a stale read or a data race in thread T, the
//!   atomic load by which T learnt of the other thread's progress (it read a
//!   store that comes after the other access in that thread) where the pair
//!   is not a `Release` store read by an `Acquire` load.

use crate::trace::{Event, MarkKind, Op};

use super::hb::{self, HappensBefore};
use super::set_mark;

fn seq_cst(e: &Event) -> bool {
    e.ordering.as_deref() == Some("SeqCst")
}

/// Marks stale reads; returns the indices marked.
pub(super) fn mark_stale_reads(trace: &mut [Event], hb: &HappensBefore) -> Vec<usize> {
    let mut marked = Vec::new();
    for i in 0..trace.len() {
        let Some(read) = trace[i].read.clone() else {
            continue;
        };
        if matches!(trace[i].op, Op::Lock | Op::ReadLock) || trace[i].ends_section() {
            // A lock reads what the last unlock left: never stale.
            continue;
        }
        let target = trace[i].target.clone();
        let Some(latest) = trace[..i].iter().rposition(|e| e.target == target && e.wrote.is_some()) else {
            continue;
        };
        let wrote = trace[latest].wrote.clone().unwrap_or_default();
        if wrote == read {
            continue;
        }
        // A plain read that the latest write happens before cannot read an
        // older write (coherence): the write it read landed after that one
        // in memory, whatever order the timeline shows them in.
        if !trace[i].op.writes() && hb.ordered(latest, i) {
            // Unless no write of the value read could have landed after
            // `latest` (it was the initial value, or every write of it
            // happens before `latest`): then happens-before here is wrong,
            // because a load of this thread that seemed to synchronise read
            // an older write of the same value. Mark that load, and this.
            let could_land_after = trace[..i].iter().enumerate().any(|(k, e)| {
                e.target == target && e.wrote.as_deref() == Some(read.as_str()) && !hb.ordered(k, latest)
            });
            if !could_land_after && mark_older_same_value(trace, hb, latest, i) && trace[i].mark.is_none() {
                let text = format!(
                    "stale: step {} wrote {}, and nothing orders it before this read (see the load marked before)",
                    trace[latest].step,
                    trace[latest].wrote.as_deref().unwrap_or("?")
                );
                set_mark(&mut trace[i], MarkKind::StaleRead, text);
                marked.push(i);
            }
            continue;
        }
        // A write that landed after one of this thread's own later writes
        // (marked as such) was not there to read yet: the read is current.
        if (i + 1..trace.len()).any(|k| {
            let e = &trace[k];
            e.thread == trace[i].thread
                && e.target == target
                && e.writes()
                && super::hb::landed_after(trace, hb, latest, k)
        }) {
            continue;
        }
        // A polling read that the thread repeats before acting explains
        // nothing: the loop waits until it sees the new value.
        let thread = &trace[i].thread;
        let next_own = trace[i + 1..].iter().find(|e| &e.thread == thread);
        if !trace[i].op.writes() && next_own.is_some_and(|e| e.op.is_plain_read() && e.target == target) {
            continue;
        }
        let step = trace[latest].step;
        let (kind, text) = if trace[i].op.writes() {
            (
                MarkKind::StaleRead,
                format!(
                    "reads {read}: step {step}'s write of {wrote} is ordered after this {} (a read-modify-write reads \
                     the latest value; nothing made that write visible first)",
                    trace[i].op.word()
                ),
            )
        } else if seq_cst(&trace[i]) && seq_cst(&trace[latest]) {
            (
                MarkKind::StaleRead,
                format!(
                    "stale: step {step} wrote {wrote}; real SeqCst forbids reading an older value here, but loom \
                     models SeqCst loads and stores as Acquire/Release (tokio-rs/loom#180)"
                ),
            )
        } else {
            (
                MarkKind::StaleRead,
                format!("stale: step {step} wrote {wrote}, but nothing orders it before this read (the memory model allows it)"),
            )
        };
        if trace[i].mark.is_none() {
            set_mark(&mut trace[i], kind, text);
            marked.push(i);
        }
    }
    marked
}

fn is_cell(op: Op) -> bool {
    matches!(op, Op::CellRead | Op::CellWrite)
}

/// Finds conflicting cell accesses that nothing orders and marks the first
/// such pair; returns (earlier, later) indices.
pub(super) fn mark_data_race(trace: &mut [Event], hb: &HappensBefore) -> Option<(usize, usize)> {
    let (a, b) = race(trace, hb)?;
    let (sa, sb) = (trace[a].step, trace[b].step);
    set_mark(&mut trace[a], MarkKind::DataRace, format!("races with step {sb}"));
    trace[b].mark = None;
    set_mark(
        &mut trace[b],
        MarkKind::DataRace,
        format!("races with step {sa}: nothing orders them"),
    );
    Some((a, b))
}

/// The first pair of conflicting cell accesses that nothing orders, as
/// (earlier, later) indices.
pub(super) fn race(trace: &[Event], hb: &HappensBefore) -> Option<(usize, usize)> {
    (0..trace.len()).find_map(|b| {
        let eb = &trace[b];
        if !is_cell(eb.op) {
            return None;
        }
        (0..b).rev().find_map(|a| {
            let ea = &trace[a];
            let conflict = is_cell(ea.op)
                && ea.target == eb.target
                && ea.thread != eb.thread
                && (ea.op == Op::CellWrite || eb.op == Op::CellWrite);
            (conflict && !hb.ordered(a, b)).then_some((a, b))
        })
    })
}

/// For a bad access at `k` in thread T that should have been ordered after
/// access `m` of thread U: marks T's atomic load before `k` that read a
/// store U made after `m` without synchronising with it.
pub(super) fn mark_missing_sync(trace: &mut [Event], m: usize, k: usize) {
    let (t, u) = (trace[k].thread.clone(), trace[m].thread.clone());
    let found = (0..k).rev().find_map(|r| {
        let e = &trace[r];
        if e.thread != t || e.read.is_none() || e.ordering.is_none() || e.op == Op::Fence {
            return None;
        }
        let w = hb::read_from(trace, r)?;
        let store = &trace[w];
        if store.thread != u || w < m {
            return None;
        }
        let (ws, rs) = (
            store.ordering.as_deref().unwrap_or("?"),
            e.ordering.as_deref().unwrap_or("?"),
        );
        // A release fence between the access and the store releases it; an
        // acquire fence between the load and the access acquires it.
        let store_releases = releases(ws) || fence(trace, &u, m..w, releases).is_some();
        let load_acquires = acquires(rs) || fence(trace, &t, r..k, acquires).is_some();
        if store_releases && load_acquires {
            return None;
        }
        Some((r, w, ws.to_owned(), rs.to_owned(), store_releases, load_acquires))
    });
    let Some((r, w, ws, rs, store_releases, load_acquires)) = found else {
        super::chains::mark_broken_chain(trace, m, k);
        return;
    };
    let (load, store) = (trace[r].op.word(), trace[w].op.word());
    // An acquire fence the reader put before its load orders nothing that
    // comes after the load.
    let early_fence = (!load_acquires)
        .then(|| {
            let since = trace[..r]
                .iter()
                .rposition(|x| x.thread == t && x.target == trace[r].target);
            fence(trace, &t, since.map_or(0, |p| p + 1)..r, acquires)
        })
        .flatten();
    let fix = match (store_releases, early_fence) {
        (true, Some(f)) => format!(
            "its fence at step {} comes before it and orders nothing after it: Acquire here, or the fence after \
             this {load}, would",
            trace[f].step
        ),
        (true, None) => format!("Acquire on this {load} would"),
        (false, _) => format!("it needs Release on the {store}, or a release fence before it, and Acquire here"),
    };
    // The access at fault carries the mark: the load if it does not
    // acquire a store that releases, else the store that does not release.
    let at_fault = if load_acquires && !store_releases { w } else { r };
    let text = if at_fault == r {
        format!(
            "this {rs} {load} reads {u}'s {ws} {store} of step {} but does not synchronise with it ({fix}): {u}'s \
             access at step {} is not ordered before step {}",
            trace[w].step, trace[m].step, trace[k].step
        )
    } else {
        format!(
            "this {ws} {store} does not release: the {rs} {load} of step {} reads it but does not synchronise with \
             it (Release on this {store}, or a release fence before it, would), so the access at step {} is not \
             ordered before step {}",
            trace[r].step, trace[m].step, trace[k].step
        )
    };
    if trace[at_fault].mark.is_none() {
        set_mark(&mut trace[at_fault], MarkKind::NoSync, text);
    }
    if let Some(f) = early_fence {
        let text = format!(
            "this acquire fence comes before the {load} of {} at step {}: it orders what comes after it with the \
             loads before it, so it does nothing for that one (put it after the {load})",
            trace[r].target, trace[r].step
        );
        set_mark(&mut trace[f], MarkKind::NoSync, text);
    }
}

/// For a stale load at `k` of a write `m` by another thread: the store
/// buffering shape (Dekker's flags). T stored z, then loaded x and missed
/// U's store of x; U stored x, then loaded z and missed T's store too. No
/// ordering weaker than `SeqCst` forbids both loads from reading the old
/// values: a store and a later load of another object may be reordered.
/// Marks T's store, the half of the pair that needed `SeqCst`.
pub(super) fn mark_store_buffering(trace: &mut [Event], m: usize, k: usize) {
    let (t, u) = (trace[k].thread.clone(), trace[m].thread.clone());
    let x = trace[k].target.clone();
    let Some(s) = trace[..k]
        .iter()
        .rposition(|e| e.thread == t && e.ordering.is_some() && e.op == Op::Store && e.target != x)
    else {
        return;
    };
    let z = trace[s].target.clone();
    let missed_too = (m + 1..trace.len()).find(|&l| {
        let e = &trace[l];
        e.thread == u && e.target == z && e.op == Op::Load && e.read.is_some() && e.read != trace[s].wrote
    });
    let Some(l) = missed_too else { return };
    let orderings = [s, k, m, l].map(|i| trace[i].ordering.clone().unwrap_or_default());
    if orderings.iter().all(|o| o == "SeqCst") {
        return;
    }
    // A side with a SeqCst fence between its store and its load (or both
    // SeqCst) did its part: the mark goes on the side that did not.
    let full = |thread: &str, store: usize, load: usize| {
        let o = |i: usize| trace[i].ordering.as_deref() == Some("SeqCst");
        (o(store) && o(load)) || fence(trace, thread, store + 1..load, |o| o == "SeqCst").is_some()
    };
    let (t_full, u_full) = (full(&t, s, k), full(&u, m, l));
    if t_full && u_full {
        return;
    }
    if t_full {
        let f = fence(trace, &t, s + 1..k, |o| o == "SeqCst")
            .map_or(String::new(), |f| format!(" (step {})", trace[f].step));
        let text = format!(
            "this {} store and the {} load of {z} after it (step {}) may pass each other: release/acquire orders \
             nothing between a store and a later load of another object. {t} has a full barrier between its store \
             and load{f}, this thread none, so each read the other's flag as it was before (store buffering): a \
             SeqCst fence here, after this store, forbids it",
            orderings[2], orderings[3], trace[l].step
        );
        set_mark(&mut trace[m], MarkKind::NoSync, text);
        return;
    }
    let text = format!(
        "this {} store and the {} load of {x} after it (step {}) may pass each other: release/acquire orders \
         nothing between a store and a later load of another object. {u} did the same (steps {} and {}), so each \
         read the other's flag as it was before; only SeqCst on all four (or a SeqCst fence between store and load) \
         forbids it",
        orderings[0], orderings[1], trace[k].step, trace[m].step, trace[l].step
    );
    set_mark(&mut trace[s], MarkKind::NoSync, text);
}

pub(super) fn releases(ordering: &str) -> bool {
    matches!(ordering, "Release" | "AcqRel" | "SeqCst")
}

pub(super) fn acquires(ordering: &str) -> bool {
    matches!(ordering, "Acquire" | "AcqRel" | "SeqCst")
}

/// A fence by `thread` among `steps` whose ordering passes `kind`.
pub(super) fn fence(
    trace: &[Event],
    thread: &str,
    steps: std::ops::Range<usize>,
    kind: fn(&str) -> bool,
) -> Option<usize> {
    steps.into_iter().find(|&i| {
        let e = &trace[i];
        e.op == Op::Fence && e.thread == thread && e.ordering.as_deref().is_some_and(kind)
    })
}

/// For a stale read at `k`: the write it missed is the latest write before
/// it; returns that write's index.
pub(super) fn missed_write(trace: &[Event], k: usize) -> Option<usize> {
    let target = &trace[k].target;
    trace[..k]
        .iter()
        .rposition(|e| &e.target == target && e.wrote.is_some())
}

/// For a data race the model checker reported between `a` (thread U) and
/// `b` (thread T) although happens-before, reading each load from the latest
/// write of its value, orders them: T's atomic read that seemed to
/// synchronise with U read an older write of the same value. Marks it.
pub(super) fn mark_older_same_value(trace: &mut [Event], hb: &HappensBefore, a: usize, b: usize) -> bool {
    if !hb.ordered(a, b) {
        return false;
    }
    let (t, u) = (trace[b].thread.clone(), trace[a].thread.clone());
    let Some((r, w)) = (0..b).rev().find_map(|r| {
        let e = &trace[r];
        if e.thread != t || e.read.is_none() || e.ordering.is_none() || e.op.writes() {
            return None;
        }
        let w = hb::read_from(trace, r)?;
        (trace[w].thread == u && w > a).then_some((r, w))
    }) else {
        return false;
    };
    let value = trace[r].read.clone().unwrap_or_default();
    let loom_seq_cst = if seq_cst(&trace[r]) && seq_cst(&trace[w]) {
        " Real SeqCst forbids this (the load must read the latest store in the single total order); loom models \
         SeqCst loads and stores as Acquire/Release (tokio-rs/loom#180), so this failure may be loom's alone"
    } else {
        ""
    };
    let older = trace[..w]
        .iter()
        .any(|e| e.target == trace[r].target && e.wrote.as_deref() == Some(value.as_str()));
    let source = if older {
        "an older write of the same value"
    } else {
        "its initial value"
    };
    let text = format!(
        "stale: reads {value}, but not from {u}'s store of step {}: from {source}, which the memory model allows as \
         nothing orders step {} before this read; so {u}'s step {} is not ordered before step {}.{loom_seq_cst}",
        trace[w].step, trace[w].step, trace[a].step, trace[b].step
    );
    trace[r].mark = None;
    set_mark(&mut trace[r], MarkKind::StaleRead, text);
    true
}
