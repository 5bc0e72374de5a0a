//! Finds the lines of a trace that make its outcome wrong.

use super::Trace;

/// Marks every plain write that overwrites another thread's update without
/// having seen it: thread T read `x`, then thread U wrote `x`, then T wrote
/// `x` from what it had read. U's update is lost; that write is the lost
/// update's last step, and the one a student must see.
///
/// Atomic read-modify-writes never qualify: they read and write in one step.
pub fn mark_lost_updates(trace: &mut Trace) {
    for i in 0..trace.len() {
        let (op, thread, target) = {
            let e = &trace[i];
            (e.op, e.thread.clone(), e.target.clone())
        };
        if !op.is_plain_write() || target.is_empty() {
            continue;
        }
        let same = |e: &super::Event| e.target == target;
        // The last time this thread looked at the target before writing it.
        let Some(seen) = trace[..i].iter().rposition(|e| {
            same(e) && e.thread == thread && (e.op.is_plain_read() || e.op.writes())
        }) else {
            continue;
        };
        // A write by someone else since then is what this write destroys.
        let Some(lost) = trace[seen + 1..i]
            .iter()
            .rev()
            .find(|e| same(e) && e.thread != thread && e.op.writes())
        else {
            continue;
        };
        let mark = format!(
            "overwrites step {} ({}'s update is lost)",
            lost.step, lost.thread
        );
        trace[i].mark = Some(mark);
    }
}

/// Marks every read that returned a value other than the one the latest
/// write before it (in the timeline) wrote. Real interleaving cannot do
/// that; the memory model can, when nothing orders the write before the read
/// (loom shows it even for `SeqCst` loads and stores, which it models as
/// acquire/release).
pub fn mark_stale_reads(trace: &mut Trace) {
    for i in 0..trace.len() {
        let Some(read) = trace[i].read.clone() else {
            continue;
        };
        let target = &trace[i].target;
        let Some(latest) = trace[..i]
            .iter()
            .rev()
            .find(|e| &e.target == target && e.wrote.is_some())
        else {
            continue;
        };
        let wrote = latest.wrote.clone().unwrap_or_default();
        if wrote != read {
            let mark = format!(
                "stale: step {} wrote {wrote}, but nothing orders it before this read (the memory model allows it)",
                latest.step
            );
            trace[i].mark.get_or_insert(mark);
        }
    }
}

/// A trace whose failure interleaving alone explains: some update is marked
/// lost, and no read is stale. Reports prefer such traces.
pub fn explains_itself(trace: &Trace) -> bool {
    let marked = |prefix: &str| {
        trace
            .iter()
            .any(|e| e.mark.as_deref().is_some_and(|m| m.starts_with(prefix)))
    };
    marked("overwrites") && !marked("stale")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::trace::{Event, Op};

    fn ev(step: usize, thread: &str, op: Op) -> Event {
        Event {
            step,
            thread: thread.into(),
            op,
            target: "counter".into(),
            value: None,
            mark: None,
            read: None,
            wrote: None,
        }
    }

    #[test]
    fn a_store_after_another_threads_store_is_marked_as_a_lost_update() {
        let mut trace = vec![
            ev(1, "alice", Op::Load),
            ev(2, "bob", Op::Load),
            ev(3, "alice", Op::Store),
            ev(4, "bob", Op::Store),
        ];
        mark_lost_updates(&mut trace);
        assert_eq!(trace[2].mark, None);
        assert_eq!(
            trace[3].mark.as_deref(),
            Some("overwrites step 3 (alice's update is lost)")
        );
    }

    #[test]
    fn serialised_load_store_pairs_are_not_marked() {
        let mut trace = vec![
            ev(1, "alice", Op::Load),
            ev(2, "alice", Op::Store),
            ev(3, "bob", Op::Load),
            ev(4, "bob", Op::Store),
        ];
        mark_lost_updates(&mut trace);
        assert!(trace.iter().all(|e| e.mark.is_none()));
    }

    #[test]
    fn a_read_of_an_overwritten_value_is_marked_stale() {
        let mut trace = vec![ev(1, "alice", Op::Store), ev(2, "bob", Op::Load)];
        trace[0].wrote = Some("1".into());
        trace[1].read = Some("0".into());
        mark_stale_reads(&mut trace);
        assert!(trace[1]
            .mark
            .as_deref()
            .unwrap()
            .starts_with("stale: step 1 wrote 1"));
        trace[1].read = Some("1".into());
        trace[1].mark = None;
        mark_stale_reads(&mut trace);
        assert_eq!(trace[1].mark, None);
    }

    #[test]
    fn atomic_read_modify_writes_are_never_marked() {
        let mut trace = vec![ev(1, "alice", Op::FetchAdd), ev(2, "bob", Op::FetchAdd)];
        mark_lost_updates(&mut trace);
        assert!(trace.iter().all(|e| e.mark.is_none()));
    }
}
