//! Happens-before over a recorded trace, as vector clocks.
//!
//! An event happens before another if a chain of program order and
//! synchronisation leads from one to the other. The synchronisation a trace
//! shows: a spawn (everything before it happens before the child's first
//! step), a join (the child's last step happens before the join), a lock
//! released and taken again (unlock, or a condvar wait that releases the
//! lock, before the next lock of it), a message sent and received (in FIFO
//! order per channel), and an atomic store with `Release` (or stronger) read
//! by a load with `Acquire` (or stronger), continued through
//! read-modify-writes (a release sequence). A load reads from the latest
//! earlier write of the value it returned (the latest write at all, for a
//! read-modify-write). Fences are not modelled: a trace with fences may show
//! an order it cannot prove, never the reverse of one.
//!
//! Cost: one clock per event, as long as the number of threads; traces are
//! at most a few thousand events.

use std::collections::HashMap;

use crate::trace::{Event, Op};

/// One vector clock: for each thread (by index), how many of its events are
/// known to have happened.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(super) struct Clock(Vec<u32>);

impl Clock {
    fn get(&self, thread: usize) -> u32 {
        self.0.get(thread).copied().unwrap_or(0)
    }

    fn tick(&mut self, thread: usize) {
        if self.0.len() <= thread {
            self.0.resize(thread + 1, 0);
        }
        self.0[thread] += 1;
    }

    fn join(&mut self, other: &Clock) {
        if self.0.len() < other.0.len() {
            self.0.resize(other.0.len(), 0);
        }
        for (mine, theirs) in self.0.iter_mut().zip(&other.0) {
            *mine = (*mine).max(*theirs);
        }
    }
}

/// Happens-before for every event of one trace.
pub(super) struct HappensBefore {
    /// Each event's thread index and its clock right after it.
    at: Vec<(usize, Clock)>,
}

impl HappensBefore {
    /// Whether event `a` happens before event `b` (indices into the trace).
    pub(super) fn ordered(&self, a: usize, b: usize) -> bool {
        let (ta, ca) = &self.at[a];
        let (_, cb) = &self.at[b];
        a < b && ca.get(*ta) <= cb.get(*ta)
    }
}

/// Whether an ordering releases (a store's) or acquires (a load's). An
/// unknown ordering counts as `SeqCst`: locks, cells and channels have none.
fn releases(ordering: Option<&str>) -> bool {
    !matches!(ordering, Some("Relaxed" | "Acquire"))
}

fn acquires(ordering: Option<&str>) -> bool {
    !matches!(ordering, Some("Relaxed" | "Release"))
}

/// Whether the event is an atomic access (its ordering was recorded, or it
/// is one of the atomic-only operations).
fn is_atomic(e: &Event) -> bool {
    e.ordering.is_some()
        || matches!(
            e.op,
            Op::Load
                | Op::Store
                | Op::Swap
                | Op::FetchAdd
                | Op::FetchSub
                | Op::FetchAnd
                | Op::FetchOr
                | Op::FetchXor
                | Op::FetchMax
                | Op::FetchMin
                | Op::FetchUpdate
                | Op::CompareExchange
                | Op::CompareExchangeFailed
        )
}

/// The index of the write event `i` (an atomic read) read from: the latest
/// earlier write to its target of the value it returned, or the latest write
/// at all for a read-modify-write.
pub(super) fn read_from(trace: &[Event], i: usize) -> Option<usize> {
    let e = &trace[i];
    let read = e.read.as_deref()?;
    let rmw = e.op.writes();
    trace[..i]
        .iter()
        .rposition(|w| w.target == e.target && w.wrote.is_some() && (rmw || w.wrote.as_deref() == Some(read)))
}

/// Whether write `u`, earlier in the trace than write `w` to the same
/// object, came after it in the object's modification order all the same: a
/// read that `w` happens before read from `u` (coherence forbids reading a
/// write older than one that happens before the read). Under loom the order
/// of writes to an atomic is only as fixed as happens-before makes it: two
/// unsynchronised stores may land in either order, whatever order they ran
/// in. (Under shuttle the trace order is the memory order, and no such read
/// exists.)
pub(super) fn landed_after(trace: &[Event], hb: &HappensBefore, u: usize, w: usize) -> bool {
    (w + 1..trace.len()).any(|r| {
        trace[r].target == trace[w].target
            && trace[r].reads()
            && is_atomic(&trace[r])
            && hb.ordered(w, r)
            && read_from(trace, r) == Some(u)
    })
}

/// Computes happens-before for `trace`.
pub(super) fn compute(trace: &[Event]) -> HappensBefore {
    let mut index: HashMap<&str, usize> = HashMap::new();
    let mut clocks: Vec<Clock> = Vec::new();
    // What a thread inherits when it starts: its parent's clock at the spawn.
    let mut spawned: HashMap<&str, Clock> = HashMap::new();
    // The clock a lock, a channel's messages, or an atomic write released.
    let mut lock_release: HashMap<&str, Clock> = HashMap::new();
    let mut sent: HashMap<&str, Vec<Clock>> = HashMap::new();
    let mut received: HashMap<&str, usize> = HashMap::new();
    // Per atomic write event, the clock it releases (with its release
    // sequence); `None` for a relaxed write that continues none.
    let mut write_release: Vec<Option<Clock>> = vec![None; trace.len()];
    let mut at = Vec::with_capacity(trace.len());
    for (i, e) in trace.iter().enumerate() {
        let n = index.len();
        let t = *index.entry(e.thread.as_str()).or_insert(n);
        if clocks.len() <= t {
            clocks.resize(t + 1, Clock::default());
            if let Some(parent) = spawned.remove(e.thread.as_str()) {
                clocks[t].join(&parent);
            }
        }
        // Acquire first.
        match e.op {
            // A semaphore's acquire takes what the releases before it gave
            // (a `try_acquire` that found no permit takes nothing).
            Op::Lock | Op::ReadLock | Op::Arrive | Op::Acquire if e.op != Op::Acquire || e.took_permit() => {
                if let Some(c) = lock_release.get(e.target.as_str()) {
                    let c = c.clone();
                    clocks[t].join(&c);
                }
            }
            // A receive that found every sender gone took no message.
            Op::Recv if !e.value.as_deref().is_some_and(|v| v.contains("disconnected")) => {
                let k = received.entry(e.target.as_str()).or_insert(0);
                if let Some(c) = sent.get(e.target.as_str()).and_then(|s| s.get(*k)) {
                    let c = c.clone();
                    clocks[t].join(&c);
                }
                *k += 1;
            }
            Op::Join => {
                if let Some(child) = e.value.as_deref().and_then(|name| index.get(name)) {
                    let c = clocks[*child].clone();
                    clocks[t].join(&c);
                }
            }
            _ if is_atomic(e) && acquires(e.ordering.as_deref()) => {
                if let Some(w) = read_from(trace, i) {
                    if let Some(c) = write_release[w].clone() {
                        clocks[t].join(&c);
                    }
                }
            }
            _ => {}
        }
        clocks[t].tick(t);
        // Then release.
        match e.op {
            // A barrier's arrivals: each takes what the earlier ones gave
            // and gives it on; the released ones take the last arrival's.
            Op::Unlock | Op::ReadUnlock | Op::Wait | Op::Release | Op::Arrive => {
                lock_release
                    .entry(e.target.as_str())
                    .or_default()
                    .join(&clocks[t].clone());
            }
            Op::Send => sent.entry(e.target.as_str()).or_default().push(clocks[t].clone()),
            Op::Spawn => {
                if let Some(child) = e.value.as_deref() {
                    spawned.insert(child, clocks[t].clone());
                }
            }
            _ if is_atomic(e) && e.wrote.is_some() => {
                let mut released = releases(e.ordering.as_deref()).then(|| clocks[t].clone());
                // A read-modify-write continues the release sequence of the
                // write it read from.
                if e.op.writes() && e.read.is_some() {
                    if let Some(prev) = read_from(trace, i).and_then(|w| write_release[w].clone()) {
                        released.get_or_insert_with(Clock::default).join(&prev);
                    }
                }
                write_release[i] = released;
            }
            _ => {}
        }
        at.push((t, clocks[t].clone()));
    }
    HappensBefore { at }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ev(thread: &str, op: Op, target: &str) -> Event {
        Event {
            step: 0,
            thread: thread.into(),
            op,
            target: target.into(),
            value: None,
            mark: None,
            mark_kind: None,
            ordering: None,
            read: None,
            wrote: None,
            yielded: false,
            at: None,
        }
    }

    #[test]
    fn a_release_store_read_by_an_acquire_load_orders_what_came_before() {
        let mut store = ev("a", Op::Store, "flag");
        store.ordering = Some("Release".into());
        store.wrote = Some("true".into());
        let mut load = ev("b", Op::Load, "flag");
        load.ordering = Some("Acquire".into());
        load.read = Some("true".into());
        let trace = vec![
            ev("a", Op::CellWrite, "data"),
            store,
            load,
            ev("b", Op::CellRead, "data"),
        ];
        assert!(compute(&trace).ordered(0, 3));
        let mut relaxed = trace.clone();
        relaxed[2].ordering = Some("Relaxed".into());
        assert!(!compute(&relaxed).ordered(0, 3));
    }

    #[test]
    fn an_unlock_orders_the_next_lock_of_the_same_mutex() {
        let trace = vec![
            ev("a", Op::CellWrite, "data"),
            ev("a", Op::Unlock, "m"),
            ev("b", Op::Lock, "m"),
            ev("b", Op::CellRead, "data"),
        ];
        assert!(compute(&trace).ordered(0, 3));
        let mut other = trace.clone();
        other[2].target = "n".into();
        assert!(!compute(&other).ordered(0, 3));
    }

    #[test]
    fn spawn_and_join_order_parent_and_child() {
        let mut spawn = ev("main", Op::Spawn, "");
        spawn.value = Some("t1".into());
        let mut join = ev("main", Op::Join, "");
        join.value = Some("t1".into());
        let trace = vec![
            ev("main", Op::CellWrite, "data"),
            spawn,
            ev("t1", Op::CellWrite, "data"),
            join,
            ev("main", Op::CellRead, "data"),
        ];
        let hb = compute(&trace);
        assert!(hb.ordered(0, 2));
        assert!(hb.ordered(2, 4));
    }
}
