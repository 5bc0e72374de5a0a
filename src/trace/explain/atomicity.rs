//! Two accesses a thread meant as one, split by another thread's write.
//!
//! - *Read-back*: T updates x (a read-modify-write, or a write after its
//!   own read of x), then reads x again (nothing of its own in between) and
//!   gets not what it wrote but another thread's later write (`a = a + 1;
//!   if a == 1`). A blind write is no update: reading another thread's
//!   answer to it is the point (`victim = me; while victim == me`).
//! - *Check, then use*: T reads x twice in a row, doing nothing in
//!   between (no yield, no other step: not a spin loop), and the second read
//!   finds another thread's write (MySQL's `if (thd->proc_info)
//!   fputs(thd->proc_info)`).
//! - *Torn snapshot*: T reads x, then y; another thread U wrote x after T's
//!   read of it and y before T's read of y, so T sees y after U's update and
//!   x before it: a state that never existed (an audit across per-account
//!   locks).
//! - *Split writes* (only when no other rule explains a failure): T writes
//!   x, then y, blindly; another thread U writes both in between, so x keeps U's value and y T's: a state neither meant (Lu et
//!   al.'s Mozilla cache, flushed and filled at once).
//!
//! Each is marked on the second access, the one that sees what it should
//! not. A thread that spawned or joined another between its write and its
//! read meant to see what the others did (setup, then the result), and one
//! that released a lock in between was done with its write: no mark.

use crate::trace::{Event, MarkKind, Op};

use super::set_mark;

fn plain_read(e: &Event) -> bool {
    e.only_reads() && !e.target.is_empty()
}

/// Marks reads that do not see the thread's own write just before them.
pub(super) fn mark_read_backs(trace: &mut [Event]) {
    for r in 0..trace.len() {
        // A lock finds whatever the last holder left: threads taking turns
        // under it expect each other's writes.
        if !plain_read(&trace[r]) || trace[r].mark.is_some() || matches!(trace[r].op, Op::Lock | Op::ReadLock) {
            continue;
        }
        let (thread, x) = (trace[r].thread.clone(), trace[r].target.clone());
        let Some(w) = trace[..r]
            .iter()
            .rposition(|e| e.thread == thread && e.target == x && (e.reads() || e.writes()))
        else {
            continue;
        };
        // A thread that spawned or joined in between meant to see other
        // threads' writes (set up, then read the result); one that released
        // a lock in between had finished with its write (the next turn of a
        // loop, say).
        if !trace[w].writes()
            || trace[w + 1..r].iter().any(|e| {
                e.thread == thread && matches!(e.op, Op::Spawn | Op::Join | Op::Unlock | Op::ReadUnlock | Op::Wait)
            })
        {
            continue;
        }
        // An update (a read-modify-write, or a write after the thread's own
        // read of x) is what a read-back checks; a blind write announces a
        // value for others to answer (`victim = me; while victim == me`).
        let updated = (trace[w].op.writes() && trace[w].read.is_some())
            || trace[..w]
                .iter()
                .rev()
                .filter(|e| e.thread == thread && e.target == x)
                .take(1)
                .any(|e| e.only_reads());
        // (A plain cell written and read back is its own thread's scratch:
        // `self.calendar = date; format(&self.calendar)`.)
        if !updated && trace[w].op != Op::CellWrite {
            continue;
        }
        let Some(u) = (w + 1..r)
            .rev()
            .find(|&k| trace[k].thread != thread && trace[k].target == x && trace[k].writes())
        else {
            continue;
        };
        if trace[r].read.is_some() && trace[r].read == trace[w].wrote {
            continue;
        }
        let text = format!(
            "reads {}'s write of step {}, not its own write of step {}: the write and this read were meant as one, \
             but {} wrote {x} in between",
            trace[u].thread, trace[u].step, trace[w].step, trace[u].thread
        );
        set_mark(&mut trace[r], MarkKind::AtomicityViolation, text);
    }
}

/// Marks the second read of a torn snapshot.
pub(super) fn mark_torn_snapshots(trace: &mut [Event]) {
    for j in 0..trace.len() {
        if !plain_read(&trace[j]) || trace[j].mark.is_some() {
            continue;
        }
        let (thread, y) = (trace[j].thread.clone(), trace[j].target.clone());
        let seen_y = trace[j].read.clone();
        // T's earlier reads of other objects, latest first, back to T's
        // previous look at y.
        let mut found = None;
        for i in (0..j).rev() {
            let e = &trace[i];
            if e.thread != thread {
                continue;
            }
            // Reads on either side of a wait (for a notify, a message, a
            // thread to finish) were not meant as one: it waited for them
            // to change.
            if e.target == y || matches!(e.op, Op::Wait | Op::Join | Op::Recv) {
                break;
            }
            if !plain_read(e) {
                continue;
            }
            let x = &e.target;
            // T must not have looked at x again since.
            if trace[i + 1..j]
                .iter()
                .any(|k| k.thread == thread && k.target == *x && (k.reads() || k.writes()))
            {
                continue;
            }
            let torn = (i + 1..j).find_map(|u2| {
                let w = &trace[u2];
                // T's read of y must have seen this write.
                if w.thread == thread || w.target != y || !w.writes() || (w.wrote.is_some() && w.wrote != seen_y) {
                    return None;
                }
                let u1 =
                    (i + 1..j).find(|&k| trace[k].thread == w.thread && trace[k].target == *x && trace[k].writes())?;
                Some((u1, u2))
            });
            if let Some((u1, u2)) = torn {
                found = Some((i, u1, u2));
                break;
            }
        }
        if let Some((i, u1, u2)) = found {
            let (x, by) = (trace[i].target.clone(), trace[u2].thread.clone());
            let text = format!(
                "torn snapshot: sees {by}'s write of {y} (step {}) but read {x} at step {}, before {by}'s write of it \
                 (step {}): the two reads were meant as one",
                trace[u2].step, trace[i].step, trace[u1].step
            );
            set_mark(&mut trace[j], MarkKind::AtomicityViolation, text);
        }
    }
}

/// Whether the critical section `lock` begins only looked: the step that
/// ends it (an unlock, or a wait) wrote nothing.
fn looks_only(trace: &[Event], lock: usize) -> bool {
    let e = &trace[lock];
    trace[lock + 1..]
        .iter()
        .find(|x| x.thread == e.thread && x.target == e.target && x.ends_section())
        // A section the execution ended inside (a panic) wrote nothing.
        .is_none_or(|end| end.wrote.is_none())
}

/// Marks the second of two back-to-back reads of one object that another
/// thread's write split (a check, then a use of what was checked).
pub(super) fn mark_split_reads(trace: &mut [Event]) {
    for j in 0..trace.len() {
        // A compare-exchange that failed noticed the change: that is what
        // it is for.
        if !plain_read(&trace[j])
            || trace[j].mark.is_some()
            || trace[j].read.is_none()
            || trace[j].op == Op::CompareExchangeFailed
        {
            continue;
        }
        let thread = trace[j].thread.clone();
        // The thread's previous step, passing over its own release of the
        // lock it reads under (two read-locked looks are two reads too).
        let x = trace[j].target.clone();
        // (Reads of other objects in between are part of the use: `if b !=
        // 0 { a / b }` reads `a` between its two looks at `b`.)
        let Some(i) = trace[..j].iter().rposition(|e| {
            e.thread == thread
                && !(matches!(e.op, Op::ReadUnlock | Op::Unlock) && e.target == x && e.wrote.is_none())
                && (e.target == x || e.writes() || !e.only_reads())
        }) else {
            continue;
        };
        let (x, first) = (&trace[j].target, &trace[i]);
        // A lock whose section writes is an update, not a look to split
        // (one that only looked, `is_empty()` then `get(0)` under two
        // locks, is).
        if (trace[j].op == Op::Lock && !looks_only(trace, j)) || (first.op == Op::Lock && !looks_only(trace, i)) {
            continue;
        }
        if first.target != *x || !plain_read(first) || first.read.is_none() || first.read == trace[j].read {
            continue;
        }
        // Not a loop that reads until the value changes: one that read it
        // before too, or whose first read found nothing yet (false, 0,
        // None, empty) and the second something (`while !ready {}`). A
        // check, then its use, finds something and then loses it.
        let before = trace[..i].iter().rposition(|e| e.thread == thread);
        if before.is_some_and(|b| trace[b].target == *x && trace[b].read == first.read) {
            continue;
        }
        // (A spin loop polls an atomic; a look under a lock that found
        // nothing and then something is a check and its use.)
        // The same call twice is a loop waiting for a change; where the
        // source is unknown, so is a thread that yielded in between.
        let yielded = || trace[i..j].iter().any(|e| e.thread == thread && e.yielded);
        if trace[i].same_call(&trace[j]).unwrap_or_else(yielded) {
            continue;
        }
        // A write that acted on the first read is marked as such (see
        // `updates::mark_acts_after_reread`).
        let cited = format!("the read at step {} saw the change", trace[j].step);
        if trace[j + 1..]
            .iter()
            .any(|e| e.thread == thread && e.mark.as_deref().is_some_and(|m| m.contains(&cited)))
        {
            continue;
        }
        let nothing = |v: Option<&str>| matches!(v, Some("false" | "0" | "None" | "null" | "[]" | "{}" | "\"\"" | ""));
        // (Two calls in the source are a check and a use, whatever they found.)
        let polled =
            first.ordering.is_some() && trace[j].ordering.is_some() && first.same_call(&trace[j]) != Some(false);
        if polled && nothing(first.read.as_deref()) && !nothing(trace[j].read.as_deref()) {
            continue;
        }
        let Some(u) = (i + 1..j)
            .rev()
            .find(|&k| trace[k].thread != thread && trace[k].target == *x && trace[k].writes())
        else {
            continue;
        };
        let text = format!(
            "reads {}, {}'s write of step {}; the read at step {} found {}: the check and this use were meant as \
             one, but {} wrote {x} in between",
            trace[j].read.as_deref().unwrap_or("?"),
            trace[u].thread,
            trace[u].step,
            first.step,
            first.read.as_deref().unwrap_or("?"),
            trace[u].thread
        );
        set_mark(&mut trace[j], MarkKind::AtomicityViolation, text);
    }
}

/// Marks the second of two blind writes (x, then y) a thread meant as one,
/// when another thread wrote both, blindly too, in between: x is left with
/// the other thread's value and y with this one's. Only when no other rule
/// explains the failure (writes computed from reads are updates).
pub(super) fn mark_split_writes(trace: &mut [Event]) {
    for b in 0..trace.len() {
        let e = &trace[b];
        if !e.writes() || e.target.is_empty() || e.mark.is_some() {
            continue;
        }
        let (thread, y) = (&e.thread, &e.target);
        // T's write of x before, with no write of x or y of its own since.
        let Some(a) = trace[..b]
            .iter()
            .rposition(|x| &x.thread == thread && x.writes() && !x.target.is_empty())
        else {
            continue;
        };
        let x = &trace[a].target;
        if x == y {
            continue;
        }
        // U's writes of both in between, its x the last write of x.
        // Blind writes, each: a write computed from a read is an update,
        // the business of the other rules.
        let blind = |k: usize| trace[k].is_plain_write() && super::updates::basis(trace, k).is_none();
        if !blind(a) || !blind(b) {
            continue;
        }
        let found = (a + 1..b).find_map(|p| {
            let w = &trace[p];
            if &w.thread == thread || &w.target != x || !blind(p) {
                return None;
            }
            if trace[p + 1..b].iter().any(|k| &k.target == x && k.writes()) {
                return None;
            }
            let q = (a + 1..b).find(|&q| trace[q].thread == w.thread && &trace[q].target == y && trace[q].writes())?;
            blind(q).then_some((p, q))
        });
        let Some((p, q)) = found else {
            continue;
        };
        let u = &trace[p].thread;
        let value = |k: usize| trace[k].wrote.as_deref().map(|v| format!(" ({v})")).unwrap_or_default();
        let text = format!(
            "{u}'s writes of {x} (step {}) and {y} (step {}) came between this thread's writes of {x} (step {}) and {y}: \
             {x} keeps {u}'s value{} and {y} this thread's{}, a mix of two updates each meant as one",
            trace[p].step,
            trace[q].step,
            trace[a].step,
            value(p),
            value(b),
        );
        set_mark(&mut trace[b], MarkKind::AtomicityViolation, text);
    }
}
