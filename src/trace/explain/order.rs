//! Steps at the wrong time: a read a later write was meant to precede, a
//! release of what was never acquired. (A read once only, by a thread that
//! then loops on it for ever, is [`super::livelock`]'s; a read of what a
//! flag announced before it was written is [`super::announce`]'s.)
//!
//! - *Unmatched release*: T releases a semaphore it holds no permit of,
//!   while another thread holds one, and the semaphore is used as a lock
//!   (some thread releases what it acquired, or it began with one permit):
//!   one more thread gets in.
//! - *Interleaved update* (only when no other rule explains a failure): T
//!   reads a value U wrote between two of T's steps, with nothing making T
//!   wait for it: each access is whole, but their order decides the outcome.
//! - *Read before write* (only when no other rule explains a failure): the
//!   last read of an object (or a critical section that only looked at
//!   it), by a thread that never reads it again, of a value another thread
//!   then replaced.

use crate::trace::{Event, MarkKind, Op};

use super::set_mark;

/// When no other rule explains a failure: the last read, by a thread that
/// never reads that object again, of a value another thread then replaced.
/// The write was meant to come first, and nothing made the reader wait for
/// it (an order violation).
pub(super) fn mark_read_before_write(trace: &mut [Event]) {
    let found = (0..trace.len()).rev().find_map(|r| {
        let e = &trace[r];
        if e.target.is_empty() {
            return None;
        }
        // A plain read, or a critical section that looked at the value and
        // left it as it was (its end is the section's own step).
        let (read, end) = if matches!(e.op, Op::Lock | Op::ReadLock) {
            let (end, value) = section_that_only_looked(trace, r)?;
            (value, end)
        } else if e.only_reads() {
            (e.read.clone(), r)
        } else {
            return None;
        };
        if trace[end + 1..]
            .iter()
            .any(|x| x.thread == e.thread && x.target == e.target)
        {
            return None;
        }
        let w = (end + 1..trace.len()).find(|&k| {
            trace[k].thread != e.thread
                && trace[k].target == e.target
                && trace[k].writes()
                && (trace[k].wrote.is_none() || trace[k].wrote != read)
        })?;
        Some((r, w))
    });
    if let Some((r, w)) = found {
        // The value read, if the writer wrote it itself on its way to the
        // later write: a state in the middle of its update.
        let u = &trace[w].thread;
        let passing = trace[..r]
            .iter()
            .rposition(|x| x.target == trace[r].target && x.writes())
            .filter(|&p| &trace[p].thread == u && trace[p].wrote.is_some() && trace[p].wrote == trace[r].read);
        let text = match passing {
            Some(p) => format!(
                "reads {x} = {v}, which {u} wrote at step {} on its way to the write of step {}: a state in the middle \
                 of {u}'s update, read once and never again (nothing made this thread wait for that update to finish: \
                 an order violation)",
                trace[p].step,
                trace[w].step,
                x = trace[r].target,
                v = trace[r].read.as_deref().unwrap_or("?"),
            ),
            None => format!(
                "reads {} before {} writes it (step {}), and never again: nothing made this thread wait for that write \
                 (an order violation)",
                trace[r].target, trace[w].thread, trace[w].step
            ),
        };
        set_mark(&mut trace[r], MarkKind::OrderViolation, text);
    }
}

/// For a data race between `a` and `b`: the check one racing thread made
/// too early. Its last look, before its racing access, at an object the
/// other thread then changed before its own racing access (a wait group's
/// count read as 0 before the worker's `add`): the thread went on at once,
/// and nothing ordered the other's access before its own. Marks that look.
pub(super) fn mark_check_before_race(trace: &mut [Event], a: usize, b: usize) {
    for (mine, theirs) in [(a, b), (b, a)] {
        let (t, u) = (trace[mine].thread.clone(), trace[theirs].thread.clone());
        let race_target = trace[mine].target.clone();
        let found = (0..mine).rev().find_map(|r| {
            let e = &trace[r];
            if e.thread != t || e.target.is_empty() || e.target == race_target {
                return None;
            }
            // A look under a lock (a wait group's count, a state flag): an
            // atomic's read is a check the atomicity rules explain.
            if !matches!(e.op, Op::Lock | Op::ReadLock) {
                return None;
            }
            let read = section_that_only_looked(trace, r)?.1;
            let w = (r + 1..theirs).find(|&k| {
                let x = &trace[k];
                x.thread == u && x.target == e.target && x.writes() && x.wrote.is_some() && x.wrote != read
            })?;
            Some((r, w))
        });
        if let Some((r, w)) = found {
            if trace[r].mark.is_some() {
                continue;
            }
            let text = format!(
                "finds {} = {} and goes on, before {u} changes it (step {}): nothing made this thread wait for that, \
                 so nothing orders {u}'s access at step {} before this thread's at step {} (an order violation)",
                trace[r].target,
                trace[r].read.as_deref().unwrap_or("?"),
                trace[w].step,
                trace[theirs].step,
                trace[mine].step
            );
            set_mark(&mut trace[r], MarkKind::OrderViolation, text);
            return;
        }
    }
}

/// For the lock at `l`: the end of its critical section and the value the
/// section read, if it read the value and left it unchanged.
fn section_that_only_looked(trace: &[Event], l: usize) -> Option<(usize, Option<String>)> {
    let e = &trace[l];
    let end = (l + 1..trace.len()).find(|&k| {
        trace[k].thread == e.thread
            && trace[k].target == e.target
            && (trace[k].ends_section() || trace[k].op == Op::ReadUnlock)
    })?;
    let x = &trace[end];
    // A section that wrote back what it found looked at it, whatever it
    // called (`pop_front` on an empty queue takes `&mut`).
    let found = e.read.clone()?;
    let looked = x.read.is_some() || x.wrote.is_some();
    (looked && (x.wrote.is_none() || x.wrote.as_ref() == Some(&found))).then_some((end, Some(found)))
}

/// Marks a semaphore `release` by a thread that holds none of its permits,
/// while another thread holds one, on a semaphore some thread uses as a
/// lock (it releases what it acquired): the release lets one more thread in.
pub(super) fn mark_unmatched_releases(trace: &mut [Event]) {
    // Permits thread `t` holds of semaphore `s` before step `i` (a release
    // of none gives back nothing of its own).
    let held = |trace: &[Event], i: usize, s: &str, t: &str| -> usize {
        trace[..i]
            .iter()
            .filter(|e| e.target == s && e.thread == t)
            .fold(0, |n, e| {
                if e.took_permit() {
                    n + 1
                } else if e.op == Op::Release {
                    n.saturating_sub(1)
                } else {
                    n
                }
            })
    };
    for i in 0..trace.len() {
        if trace[i].op != Op::Release || trace[i].mark.is_some() {
            continue;
        }
        let (s, t) = (trace[i].target.clone(), trace[i].thread.clone());
        if held(trace, i, &s, &t) > 0 {
            continue;
        }
        let used_as_lock = (0..trace.len()).any(|a| {
            trace[a].took_permit()
                && trace[a].target == s
                && trace[a + 1..]
                    .iter()
                    .any(|e| e.op == Op::Release && e.target == s && e.thread == trace[a].thread)
        });
        // Or one permit to begin with (its first use takes the only one): a
        // binary semaphore, a lock.
        let binary = trace
            .iter()
            .find(|e| e.target == s && matches!(e.op, Op::Acquire | Op::Release))
            .is_some_and(|e| e.took_permit() && e.value.as_deref().is_some_and(|v| v.contains("(0 left)")));
        if !used_as_lock && !binary {
            continue;
        }
        // Another thread inside: its last acquire, not yet given back.
        let holder = (0..i).rev().find(|&a| {
            trace[a].took_permit()
                && trace[a].target == s
                && trace[a].thread != t
                && held(trace, i, &s, &trace[a].thread) > 0
        });
        if let Some(a) = holder {
            let text = format!(
                "releases {s} without having acquired it, while {} holds a permit (acquired at step {}): {s} now \
                 lets one more thread in than it should",
                trace[a].thread, trace[a].step
            );
            set_mark(&mut trace[i], MarkKind::OrderViolation, text);
        }
    }
}

/// When no other rule explains a failure: a thread U that went on, into a
/// shared object, on what another thread T announced (U's look at x found
/// T's write) before T took the lock or permit its very next step takes: T
/// announced before it acquired, and U passed a guard nobody held yet (a
/// lightswitch that counts itself first, then waits for the room). Marks
/// U's act (the lock of the section it wrote under). Returns whether it
/// marked.
pub(super) fn mark_announced_before_acquired(trace: &mut [Event]) -> bool {
    let shared = |trace: &[Event], y: &str, by: &str| trace.iter().any(|e| e.target == y && e.thread != by);
    let found = (0..trace.len()).find_map(|l| {
        let look = &trace[l];
        if look.target.is_empty() || look.read.is_none() || (look.writes() && !look.ends_section()) {
            return None;
        }
        let w = super::hb::read_from(trace, l)?;
        let t = &trace[w].thread;
        if *t == look.thread {
            return None;
        }
        // T's next step after its write: taking a lock or a permit, later.
        let a = (w + 1..trace.len()).find(|&k| &trace[k].thread == t)?;
        if a < l || !matches!(trace[a].op, Op::Acquire | Op::Lock) || trace[a].target == look.target {
            return None;
        }
        // U's first write after its look to another shared object, before.
        let act = (l + 1..a).find(|&k| {
            let e = &trace[k];
            e.thread == look.thread
                && e.writes()
                && !e.target.is_empty()
                && e.target != look.target
                && e.target != trace[a].target
                && shared(trace, &e.target, &look.thread)
        })?;
        Some((l, w, a, act))
    });
    let Some((l, w, a, act)) = found else {
        return false;
    };
    // The section's lock, if the act ends one.
    let at = if trace[act].ends_section() {
        trace[..act]
            .iter()
            .rposition(|e| e.thread == trace[act].thread && e.target == trace[act].target && e.op == Op::Lock)
            .unwrap_or(act)
    } else {
        act
    };
    let text = format!(
        "goes on into {} on {}'s {} = {} (step {}, seen at step {}), before {} has taken {} (step {}): it announced \
         before it acquired, so this thread passes a guard nobody holds yet (an order violation)",
        trace[act].target,
        trace[w].thread,
        trace[l].target,
        trace[l].read.as_deref().unwrap_or("?"),
        trace[w].step,
        trace[l].step,
        trace[w].thread,
        trace[a].target,
        trace[a].step
    );
    set_mark(&mut trace[at], MarkKind::OrderViolation, text);
    true
}

/// When no other rule explains a failure: the last read by a thread T of a
/// value another thread U wrote between two of T's steps, with no join of
/// U by T in between. Marks U's write and T's read.
pub(super) fn mark_interleaved_update(trace: &mut [Event]) {
    let found = (0..trace.len()).rev().find_map(|r| {
        let e = &trace[r];
        // (A compare-exchange that failed noticed the other's update: that
        // is what it is for.)
        if e.target.is_empty() || !e.reads() || e.read.is_none() || e.op == Op::CompareExchangeFailed {
            return None;
        }
        let w = (0..r)
            .rev()
            .find(|&k| trace[k].target == e.target && trace[k].writes())?;
        let u = &trace[w];
        if u.thread == e.thread || u.wrote.is_none() || u.wrote != e.read {
            return None;
        }
        // T was running before U's write, and did not wait for U since.
        let before = (0..w)
            .rev()
            .find(|&k| trace[k].thread == e.thread && trace[k].op != Op::Spawn)?;
        let waited = trace[w + 1..r]
            .iter()
            .any(|x| x.thread == e.thread && x.op == Op::Join && x.value.as_deref() == Some(u.thread.as_str()));
        (!waited).then_some((before, w, r))
    });
    let Some((before, w, r)) = found else {
        return;
    };
    let (t, u, x) = (
        trace[r].thread.clone(),
        trace[w].thread.clone(),
        trace[r].target.clone(),
    );
    let text = format!(
        "lands between {t}'s steps {} and {}: nothing orders it before or after them",
        trace[before].step, trace[r].step
    );
    set_mark(&mut trace[w], MarkKind::OrderViolation, text);
    let text = format!(
        "finds {x} = {}, which {u} left at step {}: each access is whole, but nothing decides whether {u}'s update \
         comes before this or after, and the outcome depends on it",
        trace[r].read.as_deref().unwrap_or("?"),
        trace[w].step
    );
    set_mark(&mut trace[r], MarkKind::OrderViolation, text);
}
