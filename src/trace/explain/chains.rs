//! Synchronisation passed on through a third thread: T learnt of U's
//! progress from V, which had learnt of it from U. T's access is ordered
//! after U's only if every link carries it: U's store releases, V's load
//! acquires it, V's store releases, T's load acquires that.
//!
//! - *Broken release sequence*: on one atomic, V's plain store replaces
//!   U's, and continues no one's release sequence (a read-modify-write
//!   would).
//! - *Broken relay*: on two atomics (Williams' listing 5.9, three threads
//!   in a chain), the first link that does not synchronise is marked: a
//!   `Relaxed` load in the middle thread passes nothing on, however its own
//!   store releases.

use crate::trace::{Event, MarkKind, Op};

use super::hb;
use super::memory::{acquires, fence, releases};
use super::set_mark;

/// For a bad access at `k` in thread T that should have been ordered after
/// access `m` of thread U, where T learnt of U's progress through a third
/// thread V: T's load read V's store, and V had read U's store of the same
/// atomic, after `m`. A plain store does not continue U's release sequence,
/// so T synchronises with U only if V acquired U's store and released its
/// own. Marks V's store.
pub(super) fn mark_broken_chain(trace: &mut [Event], m: usize, k: usize) {
    let (t, u) = (trace[k].thread.clone(), trace[m].thread.clone());
    let found = (0..k).rev().find_map(|r| {
        let e = &trace[r];
        if e.thread != t || e.read.is_none() || e.ordering.is_none() || e.op.writes() {
            return None;
        }
        let w = hb::read_from(trace, r)?;
        let v = &trace[w].thread;
        if *v == t || *v == u || trace[w].op != Op::Store {
            return None;
        }
        // V's read of U's store of the same atomic, before its own.
        let r2 = (0..w).rev().find(|&q| {
            let x = &trace[q];
            &x.thread == v && x.target == e.target && x.read.is_some() && !x.op.writes()
        })?;
        let w2 = hb::read_from(trace, r2)?;
        if trace[w2].thread != u || w2 < m {
            return None;
        }
        let carried = acquires(trace[r2].ordering.as_deref().unwrap_or(""))
            && releases(trace[w].ordering.as_deref().unwrap_or(""));
        (!carried).then_some((r, w, r2, w2))
    });
    let Some((r, w, r2, w2)) = found else {
        mark_relay(trace, m, k);
        return;
    };
    let text = format!(
        "this {} store breaks {u}'s release sequence: {t}'s {} load of step {} reads it, not {u}'s {} store of \
         step {} (which {} read at step {}), and a plain store continues no one's release; so {u}'s access at \
         step {} is not ordered before step {} (a read-modify-write here, such as fetch_add, continues the \
         sequence; or Acquire on step {} and Release here carry it)",
        trace[w].ordering.as_deref().unwrap_or("?"),
        trace[r].ordering.as_deref().unwrap_or("?"),
        trace[r].step,
        trace[w2].ordering.as_deref().unwrap_or("?"),
        trace[w2].step,
        trace[w].thread,
        trace[r2].step,
        trace[m].step,
        trace[k].step,
        trace[r2].step,
    );
    set_mark(&mut trace[w], MarkKind::NoSync, text);
}

/// For a bad access at `k` in thread T that should have been ordered after
/// access `m` of thread U: T's load read V's store of one atomic, and V had
/// read, before that store, U's store of another (made after `m`). Marks
/// the first link of U → V → T that does not synchronise.
fn mark_relay(trace: &mut [Event], m: usize, k: usize) {
    let (t, u) = (trace[k].thread.clone(), trace[m].thread.clone());
    let ordering = |i: usize| trace[i].ordering.as_deref().unwrap_or("");
    let found = (0..k).rev().find_map(|r| {
        let e = &trace[r];
        if e.thread != t || e.read.is_none() || e.ordering.is_none() || e.op.writes() || e.op == Op::Fence {
            return None;
        }
        let w = hb::read_from(trace, r)?;
        let v = trace[w].thread.clone();
        if v == t || v == u || !trace[w].op.writes() {
            return None;
        }
        let r2 = (0..w).rev().find(|&q| {
            let x = &trace[q];
            x.thread == v
                && x.target != trace[w].target
                && x.read.is_some()
                && x.ordering.is_some()
                && !x.op.writes()
                && hb::read_from(trace, q).is_some_and(|w2| trace[w2].thread == u && w2 > m)
        })?;
        let w2 = hb::read_from(trace, r2)?;
        let links = [
            (
                w2,
                releases(ordering(w2)) || fence(trace, &u, m..w2, releases).is_some(),
            ),
            (
                r2,
                acquires(ordering(r2)) || fence(trace, &v, r2..w, acquires).is_some(),
            ),
            (w, releases(ordering(w)) || fence(trace, &v, r2..w, releases).is_some()),
            (r, acquires(ordering(r)) || fence(trace, &t, r..k, acquires).is_some()),
        ];
        let (at, _) = links.into_iter().find(|(_, ok)| !ok)?;
        Some((at, r, w, r2, w2, v))
    });
    let Some((at, r, w, r2, w2, v)) = found else { return };
    let step = |i: usize| trace[i].step;
    let word = |i: usize| format!("{} {}", ordering(i), trace[i].op.word());
    let fault = if at == r2 || at == r {
        format!("this {} does not acquire what it reads (Acquire would)", word(at))
    } else {
        format!("this {} does not release (Release would)", word(at))
    };
    let text = format!(
        "{fault}, so the chain {u} → {v} → {t} carries nothing: {u}'s {} of step {} is read by {v} at step {}, {v}'s \
         {} of step {} by {t} at step {}; {u}'s access at step {} is not ordered before step {}",
        word(w2),
        step(w2),
        step(r2),
        word(w),
        step(w),
        step(r),
        step(m),
        step(k)
    );
    set_mark(&mut trace[at], MarkKind::NoSync, text);
}
