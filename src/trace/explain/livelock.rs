//! Livelocks: threads that keep running and never finish (the step
//! limit). Two threads each spinning on a flag only the other could lower,
//! and a thread looping on a value it read once. (Whether a step limit was a
//! livelock at all is [`super::progress`]' question.)

use crate::trace::{Event, MarkKind, Op};

use super::set_mark;

/// For a livelock (the step limit): threads spinning on values only each
/// other could change. A thread still running whose last reads of an
/// object all found the same value, last written by another thread that is
/// spinning too on an object this thread wrote last: each waits for the
/// other to give way (Dekker's third attempt: both flags up, both wait).
/// Marks each one's last spinning read; returns the summary.
pub(super) fn mark_spin_cycles(trace: &mut [Event]) -> Option<String> {
    // Each running thread's spin: its last plain read, the value, and the
    // thread that wrote that value last.
    let joined: Vec<String> = trace
        .iter()
        .filter(|e| e.op == Op::Join)
        .filter_map(|e| e.value.clone())
        .collect();
    let mut threads: Vec<String> = Vec::new();
    for e in trace.iter() {
        if !threads.contains(&e.thread) && !joined.contains(&e.thread) {
            threads.push(e.thread.clone());
        }
    }
    let spin = |t: &str| -> Option<(usize, String)> {
        let r = trace
            .iter()
            .rposition(|e| e.thread == t && !matches!(e.op, Op::Yield | Op::Blocked))?;
        let e = &trace[r];
        if !e.only_reads() || e.read.is_none() || e.target.is_empty() {
            return None;
        }
        // It read the same before (a loop), and wrote nothing since.
        let again = trace[..r]
            .iter()
            .rposition(|x| x.thread == t && x.target == e.target && x.reads())?;
        if trace[again].read != e.read || trace[again + 1..r].iter().any(|x| x.thread == t && x.writes()) {
            return None;
        }
        let w = trace[..r].iter().rposition(|x| x.target == e.target && x.writes())?;
        (trace[w].thread != t && trace[w].wrote == e.read).then(|| (r, trace[w].thread.clone()))
    };
    let spins: Vec<(String, usize, String)> = threads
        .iter()
        .filter_map(|t| spin(t).map(|(r, by)| (t.clone(), r, by)))
        .collect();
    let mut summary = Vec::new();
    for (t, r, by) in &spins {
        let Some((_, r2, _)) = spins.iter().find(|(u, _, b)| u == by && b == t) else {
            continue;
        };
        let (x, v, y) = (
            trace[*r].target.clone(),
            trace[*r].read.clone().unwrap_or_default(),
            trace[*r2].target.clone(),
        );
        let text = format!(
            "spins while {x} is {v}, as {by} set it, and {by} spins while {y} is as this thread left it: each \
             waits for the other to give way, and neither does (a livelock)"
        );
        set_mark(&mut trace[*r], MarkKind::Deadlock, text);
        summary.push(format!(
            "{t} spins on {x}, which {by} holds, and {by} spins on {y}, which {t} holds"
        ));
    }
    (!summary.is_empty()).then(|| summary.join("; "))
}

/// For a livelock (the step limit): marks the last read, by a thread that
/// never finished, of an object another thread then changed and that it
/// never read again: it loops on what it read once. Returns the summary.
pub(super) fn mark_reads_never_renewed(trace: &mut [Event]) -> Option<String> {
    // Threads something waits for to finish, that are not blocked themselves.
    let running: Vec<String> = trace
        .iter()
        .filter(|e| e.op == Op::Blocked && crate::trace::blocked_op(e) == Some(Op::Join))
        .map(|e| e.target.clone())
        .filter(|t| !trace.iter().any(|e| e.op == Op::Blocked && e.thread == *t))
        .collect();
    let mut summary = Vec::new();
    for t in running {
        let changed_later = |r: usize| {
            (r + 1..trace.len()).find(|&k| {
                trace[k].thread != t
                    && trace[k].target == trace[r].target
                    && trace[k].writes()
                    && trace[k].wrote != trace[r].read
            })
        };
        let Some(r) = (0..trace.len()).rev().find(|&r| {
            let e = &trace[r];
            e.thread == t && e.only_reads() && !e.target.is_empty() && changed_later(r).is_some()
        }) else {
            continue;
        };
        if trace[r + 1..]
            .iter()
            .any(|e| e.thread == t && e.target == trace[r].target)
        {
            continue;
        }
        let Some(u) = changed_later(r) else { continue };
        let x = trace[r].target.clone();
        let text = format!(
            "read once and never again: {} changed {x} at step {}, and {t}, still running, never looks at it again \
             (read it inside the loop)",
            trace[u].thread, trace[u].step
        );
        summary.push(format!(
            "{t} never finished: it read {x} at step {} and loops on that value; {} changed it at step {}",
            trace[r].step, trace[u].thread, trace[u].step
        ));
        set_mark(&mut trace[r], MarkKind::StaleCheck, text);
    }
    (!summary.is_empty()).then(|| summary.join("; "))
}

/// For a livelock: a thread spinning on an object, whose value another
/// thread changed twice between two of its reads, the second change
/// replacing a value the spinner never saw (a barrier's count that reached
/// 0 and was reset to N before the last waiter looked). Marks the write
/// that hid the passing value.
pub(super) fn mark_unseen_values(trace: &mut [Event]) {
    let threads: Vec<String> = trace.iter().fold(Vec::new(), |mut v, e| {
        if !v.contains(&e.thread) {
            v.push(e.thread.clone());
        }
        v
    });
    for t in threads {
        let own: Vec<usize> = (0..trace.len())
            .filter(|&i| trace[i].thread == t && !matches!(trace[i].op, Op::Yield | Op::Blocked))
            .collect();
        let Some(&last) = own.last() else { continue };
        let (x, v2) = (trace[last].target.clone(), trace[last].read.clone());
        if !trace[last].only_reads() || v2.is_none() || x.is_empty() {
            continue;
        }
        // The final spin: its last reads, all of x with the value v2.
        let run: Vec<usize> = own
            .iter()
            .rev()
            .take_while(|&&i| trace[i].only_reads() && trace[i].target == x && trace[i].read == v2)
            .copied()
            .collect();
        let Some(&first) = run.last() else { continue };
        if run.len() < 2 {
            continue;
        }
        // The read before it, of another value.
        let Some(&p) = own.iter().rev().find(|&&i| i < first) else {
            continue;
        };
        let v1 = &trace[p].read;
        if !trace[p].only_reads() || trace[p].target != x || v1.is_none() || *v1 == v2 {
            continue;
        }
        // Another thread's writes in between: one to a value neither read,
        // then one that replaced it.
        let writes: Vec<usize> = (p + 1..first)
            .filter(|&k| trace[k].target == x && trace[k].thread != t && trace[k].wrote.is_some())
            .collect();
        let Some(pos) = writes
            .iter()
            .position(|&k| trace[k].wrote != *v1 && trace[k].wrote != v2)
        else {
            continue;
        };
        let Some(&hid) = writes.get(pos + 1) else { continue };
        let passing = writes[pos];
        let text = format!(
            "sets {x} to {} before {t}, spinning on {x} (it read {} at step {}, and reads {} from step {} on), ever \
             read the {} of step {}: the value it waited for came and went unseen",
            trace[hid].wrote.as_deref().unwrap_or("?"),
            v1.as_deref().unwrap_or("?"),
            trace[p].step,
            v2.as_deref().unwrap_or("?"),
            trace[first].step,
            trace[passing].wrote.as_deref().unwrap_or("?"),
            trace[passing].step,
        );
        set_mark(&mut trace[hid], MarkKind::LostWakeup, text);
    }
}
