//! Each rule on a hand-written trace: what it marks, and what it must not.
//! One file per rule family, as in `explain/`; the wait-for graphs and lost
//! wake-ups are in `deadlock.rs`, preemption counts in `preemptions.rs`.

mod atomicity;
mod claims;
mod deadlock;
mod memory;
mod order;
mod preemptions;
mod progress;
mod sc_order;
mod stale_acts;
mod updates;

use super::*;

pub(super) fn ev(thread: &str, op: Op, target: &str) -> Event {
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

pub(super) fn load(thread: &str, target: &str, v: &str) -> Event {
    Event {
        read: Some(v.into()),
        ..ev(thread, Op::Load, target)
    }
}

pub(super) fn store(thread: &str, target: &str, v: &str) -> Event {
    Event {
        wrote: Some(v.into()),
        ..ev(thread, Op::Store, target)
    }
}

pub(super) fn rmw(thread: &str, op: Op, target: &str, read: &str, wrote: &str) -> Event {
    Event {
        read: Some(read.into()),
        wrote: Some(wrote.into()),
        ..ev(thread, op, target)
    }
}

pub(super) fn ordered(mut e: Event, ordering: &str) -> Event {
    e.ordering = Some(ordering.into());
    e
}

pub(super) fn numbered(mut trace: Vec<Event>) -> Trace {
    for (i, e) in trace.iter_mut().enumerate() {
        e.step = i + 1;
    }
    trace
}

pub(super) fn kinds(trace: &Trace) -> Vec<(usize, MarkKind)> {
    trace.iter().filter_map(|e| e.mark_kind.map(|k| (e.step, k))).collect()
}
