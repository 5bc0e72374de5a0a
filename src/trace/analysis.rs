//! Finds the lines of a trace that make its outcome wrong.

use super::{Op, Trace};

/// Marks every plain write that overwrites another thread's update without
/// having seen it: thread T read `x`, then thread U wrote `x`, then T wrote
/// `x` from what it had read. U's update is lost; that write is the lost
/// update's last step, and the one a student must see.
///
/// Atomic read-modify-writes never qualify: they read and write in one step.
pub fn mark_lost_updates(trace: &mut Trace) {
    for i in 0..trace.len() {
        let (thread, target) = (trace[i].thread.clone(), trace[i].target.clone());
        let plain = trace[i].is_plain_write();
        if !trace[i].writes() || target.is_empty() {
            continue;
        }
        let same = |e: &super::Event| e.target == target;
        // The last time this thread looked at the target before writing it.
        let Some(seen) = trace[..i]
            .iter()
            .rposition(|e| same(e) && e.thread == thread && (e.reads() || e.writes()))
        else {
            continue;
        };
        // An atomic read-modify-write acts on fresh data, unless it acts on
        // what an earlier, separate read found (a check, then an act).
        if !plain && trace[seen].writes() {
            continue;
        }
        // A write by someone else since then is what this write destroys
        // (or what makes the check stale).
        let Some(lost) = trace[seen + 1..i]
            .iter()
            .rev()
            .find(|e| same(e) && e.thread != thread && e.writes())
        else {
            continue;
        };
        let checked = trace[seen].step;
        let mark = match (plain, trace[i].op) {
            (true, _) => format!("overwrites step {} ({}'s update is lost)", lost.step, lost.thread),
            (false, Op::CompareExchange) => format!(
                "succeeds although {} changed it at step {} after the read at step {checked} (ABA)",
                lost.thread, lost.step
            ),
            (false, _) => format!(
                "acts on the check at step {checked}, but {} changed it at step {}",
                lost.thread, lost.step
            ),
        };
        trace[i].mark = Some(mark);
    }
}

/// Marks every read that returned a value other than the one the latest
/// write before it (in the timeline) wrote. Real interleaving cannot do
/// that; the memory model can, when nothing orders the write before the read
/// (loom shows it even for `SeqCst` loads and stores, which it models as
/// acquire/release). A read-modify-write is never stale (it reads the
/// latest value in the atomic's order of writes): the write it did not see
/// is marked as ordered after it.
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
            // A read-modify-write always reads the latest value in the
            // atomic's order of writes: a write it did not see is not
            // "newer", it is ordered after it (C11 atomicity of RMWs).
            let mark = if trace[i].op.writes() {
                format!(
                    "reads {read}: step {}'s write of {wrote} is ordered after this {} (a read-modify-write reads the \
                     latest value; nothing made that write visible first)",
                    latest.step,
                    trace[i].op.word()
                )
            } else {
                format!(
                    "stale: step {} wrote {wrote}, but nothing orders it before this read (the memory model allows it)",
                    latest.step
                )
            };
            trace[i].mark.get_or_insert(mark);
        }
    }
}

/// How well a failing trace explains itself to a reader, higher is
/// better: 0 if a read in it is stale (true to the memory model, but a
/// timeline cannot show why), 1 if interleaving alone explains it, 2 if it
/// also marks the step that goes wrong (a lost update, a stale check). Reports keep the clearest trace they find.
pub fn clarity(trace: &Trace) -> u8 {
    let marked = |prefix: &str| {
        trace
            .iter()
            .any(|e| e.mark.as_deref().is_some_and(|m| m.starts_with(prefix)))
    };
    let explained = marked("overwrites") || marked("acts on") || marked("succeeds although");
    match (marked("stale"), explained) {
        (true, _) => 0,
        (false, false) => 1,
        (false, true) => 2,
    }
}

/// Who holds each lock at the end of the trace: the last `lock` of it not
/// followed by an `unlock` (read locks count as held too).
fn holders(trace: &Trace) -> Vec<(String, String)> {
    let mut held: Vec<(String, String)> = Vec::new(); // (target, thread)
    for e in trace {
        match e.op {
            Op::Lock | Op::ReadLock => held.push((e.target.clone(), e.thread.clone())),
            Op::Unlock | Op::ReadUnlock | Op::Wait => {
                if let Some(i) = held.iter().rposition(|(t, th)| *t == e.target && *th == e.thread) {
                    held.remove(i);
                }
            }
            _ => {}
        }
    }
    held
}

/// For a trace that ends blocked: marks each `blocked on` line with who
/// holds what it waits for, and returns the wait-for relation in words
/// ("main holds A and waits for B, held by bob; ..."), saying whether it is
/// a cycle.
pub fn explain_deadlock(trace: &mut Trace) -> Option<String> {
    let held = holders(trace);
    let holder_of = |target: &str| {
        held.iter()
            .filter(|(t, _)| t == target)
            .map(|(_, th)| th.clone())
            .collect::<Vec<_>>()
    };
    let mut parts = Vec::new();
    let mut edges: Vec<(String, String)> = Vec::new(); // waiter -> holder
    for e in trace.iter_mut().filter(|e| e.op == Op::Blocked) {
        let owners = holder_of(&e.target);
        let mine: Vec<&str> = held
            .iter()
            .filter(|(_, th)| *th == e.thread)
            .map(|(t, _)| t.as_str())
            .collect();
        let holds = if mine.is_empty() {
            String::new()
        } else {
            format!("holds {} and ", mine.join(", "))
        };
        let by = if owners.is_empty() {
            String::new()
        } else {
            format!(", held by {}", owners.join(", "))
        };
        parts.push(format!("{} {holds}waits for {}{by}", e.thread, e.target));
        if !owners.is_empty() {
            e.mark = Some(format!("held by {}", owners.join(", ")));
        }
        edges.extend(owners.into_iter().map(|o| (e.thread.clone(), o)));
    }
    if parts.is_empty() {
        return None;
    }
    let cycle = edges.iter().any(|(start, _)| {
        // Follow waiter -> holder edges from `start`; a return is a cycle.
        let mut at = start.clone();
        for _ in 0..=edges.len() {
            match edges.iter().find(|(w, _)| *w == at) {
                Some((_, next)) if next == start => return true,
                Some((_, next)) => at = next.clone(),
                None => return false,
            }
        }
        false
    });
    let mut text = parts.join("; ");
    if cycle {
        text.push_str(": a cycle, so none can go on");
    }
    Some(text)
}

/// For a trace that ends in a data race: the last cell access is the one
/// the model checker stopped at; the access it races with is the last one
/// to the same cell by another thread, where one of the two writes. Marks
/// both and says what happened.
pub fn explain_data_race(trace: &mut Trace) -> Option<String> {
    let is_cell = |op: Op| matches!(op, Op::CellRead | Op::CellWrite);
    let last = trace.iter().rposition(|e| is_cell(e.op))?;
    let (thread, target, op) = (trace[last].thread.clone(), trace[last].target.clone(), trace[last].op);
    let other = trace[..last].iter().rposition(|e| {
        is_cell(e.op) && e.target == target && e.thread != thread && (e.op == Op::CellWrite || op == Op::CellWrite)
    })?;
    let (a, b) = (trace[other].step, trace[last].step);
    let other_thread = trace[other].thread.clone();
    let what = |op: Op| if op == Op::CellWrite { "write" } else { "read" };
    trace[other].mark = Some(format!("races with step {b}"));
    trace[last].mark = Some(format!("races with step {a}: nothing orders them"));
    Some(format!(
        "{thread}'s {} of {target} at step {b} and {other_thread}'s {} at step {a} are not ordered by any \
         synchronisation: a data race",
        what(op),
        what(trace[other].op)
    ))
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
            mark_kind: None,
            ordering: None,
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
        assert!(trace[1].mark.as_deref().unwrap().starts_with("stale: step 1 wrote 1"));
        trace[1].read = Some("1".into());
        trace[1].mark = None;
        mark_stale_reads(&mut trace);
        assert_eq!(trace[1].mark, None);
    }

    #[test]
    fn a_read_modify_write_is_never_called_stale() {
        let mut trace = vec![ev(1, "alice", Op::Store), ev(2, "bob", Op::Swap)];
        trace[0].wrote = Some("false".into());
        trace[1].read = Some("true".into());
        trace[1].wrote = Some("true".into());
        mark_stale_reads(&mut trace);
        let mark = trace[1].mark.as_deref().unwrap();
        assert!(
            mark.starts_with("reads true: step 1's write of false is ordered after this swap"),
            "{mark}"
        );
        assert_eq!(clarity(&trace), 1);
    }

    #[test]
    fn a_two_lock_deadlock_is_explained_as_a_cycle() {
        let lock = |step, thread: &str, target: &str, op| Event {
            step,
            thread: thread.into(),
            op,
            target: target.into(),
            value: None,
            mark: None,
            mark_kind: None,
            ordering: None,
            read: None,
            wrote: None,
        };
        let mut trace = vec![
            lock(1, "main", "A", Op::Lock),
            lock(2, "bob", "B", Op::Lock),
            lock(3, "main", "B", Op::Blocked),
            lock(4, "bob", "A", Op::Blocked),
        ];
        let text = explain_deadlock(&mut trace).expect("blocked threads");
        assert_eq!(
            text,
            "main holds A and waits for B, held by bob; bob holds B and waits for A, held by main: a cycle, so none can go on"
        );
        assert_eq!(trace[2].mark.as_deref(), Some("held by bob"));
    }

    #[test]
    fn a_read_modify_write_on_a_stale_check_is_marked() {
        let mut trace = vec![
            ev(1, "alice", Op::Load),
            ev(2, "bob", Op::FetchSub),
            ev(3, "alice", Op::FetchSub),
        ];
        mark_lost_updates(&mut trace);
        assert_eq!(trace[1].mark, None);
        assert_eq!(
            trace[2].mark.as_deref(),
            Some("acts on the check at step 1, but bob changed it at step 2")
        );
    }

    #[test]
    fn a_data_race_marks_both_accesses() {
        let cell = |step, thread: &str, op| Event {
            target: "data".into(),
            ..ev(step, thread, op)
        };
        let mut trace = vec![
            cell(1, "sender", Op::CellWrite),
            ev(2, "sender", Op::Store),
            cell(3, "reader", Op::CellRead),
        ];
        let text = explain_data_race(&mut trace).expect("a race");
        assert_eq!(
            text,
            "reader's read of data at step 3 and sender's write at step 1 are not ordered by any synchronisation: a data race"
        );
        assert_eq!(trace[0].mark.as_deref(), Some("races with step 3"));
        assert!(trace[2].mark.is_some());
    }

    #[test]
    fn atomic_read_modify_writes_are_never_marked() {
        let mut trace = vec![ev(1, "alice", Op::FetchAdd), ev(2, "bob", Op::FetchAdd)];
        mark_lost_updates(&mut trace);
        assert!(trace.iter().all(|e| e.mark.is_none()));
    }
}
