//! Acts on a stale check across objects: T reads x (the check), and T's
//! first write to another shared object y after it comes when U has changed
//! x since the check, or when U, having checked x too before T did and
//! without updating x yet, has already written y (U acted on the same check
//! first). And a count raised from zero after another thread brought it
//! there and began to act on it (get after zero). (Writes to the object
//! checked itself are [`super::updates`]'.)

use crate::trace::{Event, MarkKind, Op};

use super::hb::HappensBefore;
use super::set_mark;
use super::updates::{basis, look_step, looked};

/// Whether some thread other than `thread` touches `target` in the trace.
fn shared_with_others(trace: &[Event], target: &str, thread: &str) -> bool {
    trace.iter().any(|x| x.target == target && x.thread != thread)
}

/// Marks, for each check (a plain read), the first act on it that came
/// when the check was already stale (see the module doc).
pub(super) fn mark_stale_acts(trace: &mut [Event], hb: &HappensBefore) {
    for c in 0..trace.len() {
        let check = &trace[c];
        if !check.only_reads() || check.target.is_empty() || check.op == Op::Note {
            continue;
        }
        let (thread, x) = (check.thread.clone(), check.target.clone());
        // T's act on the check: its first write to another shared object,
        // unless it looks at x again first.
        let act = (c + 1..trace.len())
            .filter(|&a| trace[a].thread == thread)
            .take_while(|&a| !(trace[a].target == x && (trace[a].reads() || trace[a].writes())))
            // The act a check guards is the first that follows it (a
            // read-modify-write with a check of its own does not count; a
            // compare-exchange validates only its own object, not the one
            // checked here: a lock-free list's unlink through a node found
            // by the check).
            .find(|&a| {
                let e = &trace[a];
                e.writes()
                    && !e.target.is_empty()
                    && shared_with_others(trace, &e.target, &thread)
                    && (e.is_plain_write() || basis(trace, a).is_none() || e.op == Op::CompareExchange)
                    // A plain write to an object the thread checked after
                    // this check acts on that later check (a compare-exchange
                    // validates its own object, and still acts on this one).
                    // (A section's own lock is no later check: it found
                    // what the section then changed.)
                    && (e.op == Op::CompareExchange
                        || !trace[c + 1..a].iter().enumerate().any(|(i, y)| {
                            y.thread == thread
                                && y.target == e.target
                                && y.only_reads()
                                && !(e.ends_section() && matches!(y.op, Op::Lock | Op::ReadLock) && section_opened(trace, c + 1 + i, a))
                        }))
            });
        let Some(a) = act.filter(|&a| trace[a].mark.is_none()) else {
            continue;
        };
        // A thread that waited between its check and its act went on
        // because of what it was woken for, not on the check.
        if trace[c + 1..a].iter().any(|x| {
            x.thread == thread
                && (matches!(x.op, Op::Wait | Op::Blocked) || x.value.as_deref().is_some_and(|v| v.contains("(woken)")))
        }) {
            continue;
        }
        // A section that left the object as it found it changed nothing.
        if trace[a].ends_section() && section_wrote_back(trace, a) {
            continue;
        }
        let y = trace[a].target.clone();
        let changed = (c + 1..a)
            .find(|&k| {
                let e = &trace[k];
                e.thread != thread
                    && e.target == x
                    && e.writes()
                    && (e.wrote.is_none() || e.wrote != check_value(trace, c))
            })
            // A change the thread synchronised with before acting (its
            // compare-exchange read what the other released after it, say)
            // was not missed. Taking a lock to act is no such thing: the
            // section does not look at the flag again (if it did, that read
            // would have ended the search for the act).
            .filter(|&u| trace[a].ends_section() || !hb.ordered(u, a));
        let text = if let Some(u) = changed {
            Some(format!(
                "acts on the check at step {} ({x} was {}), but {} changed {x} at step {}",
                trace[c].step,
                check_value(trace, c).unwrap_or_else(|| "read".to_owned()),
                trace[u].thread,
                trace[u].step
            ))
        } else {
            first_to_act(trace, c, a).map(|(cu, ua)| {
                format!(
                    "acts on the check at step {} ({x} was {}), but {} checked {x} too at step {} and already \
                         wrote {y} at step {}, before updating {x}",
                    trace[c].step,
                    check_value(trace, c).unwrap_or_else(|| "read".to_owned()),
                    trace[cu].thread,
                    trace[cu].step,
                    trace[ua].step
                )
            })
        };
        if let Some(text) = text {
            set_mark(&mut trace[a], MarkKind::StaleCheck, text);
        }
    }
}

fn check_value(trace: &[Event], c: usize) -> Option<String> {
    trace[c].read.clone()
}

/// For T's check `c` of x and its act `a` on y: another thread U that
/// checked x before `c` (reading the same value), wrote y on that check
/// before `a` (no look at x in between), and had not written x when T
/// checked. Returns U's check and act.
fn first_to_act(trace: &[Event], c: usize, a: usize) -> Option<(usize, usize)> {
    let (thread, x, y) = (&trace[c].thread, &trace[c].target, &trace[a].target);
    let seen = check_value(trace, c);
    (0..c).rev().find_map(|cu| {
        let e = &trace[cu];
        if e.thread == *thread || e.target != *x || !e.only_reads() || check_value(trace, cu) != seen {
            return None;
        }
        let u = &e.thread;
        // U acted on y before T did...
        let ua = (cu + 1..a).find(|&k| trace[k].thread == *u && trace[k].target == *y && trace[k].writes())?;
        // ...on this check: it did not look at x again before that act, nor
        // write x before T's check (a read of x after its act is the start
        // of its update of x)...
        if trace[cu + 1..ua.max(c)]
            .iter()
            .enumerate()
            .any(|(i, k)| k.thread == *u && k.target == *x && (k.writes() || (k.reads() && cu + 1 + i < ua)))
        {
            return None;
        }
        // ...and was still to update x (its check-then-act was under way).
        trace[c + 1..]
            .iter()
            .any(|k| k.thread == *u && k.target == *x && k.writes())
            .then_some((cu, ua))
    })
}

/// Marks an increment from zero of a count that another thread brought to
/// zero and then acted on, by changing the object this thread had looked
/// up to find the count (a table entry, a pointer): a reference taken after
/// the last one was let go ("get after zero"). The look it acts on was
/// stale from the moment the count reached zero, before the other thread's
/// change shows.
pub(super) fn mark_revived_counts(trace: &mut [Event]) {
    for a in 0..trace.len() {
        let e = &trace[a];
        if !(e.op == Op::FetchAdd && e.read.as_deref() == Some("0") && e.mark.is_none()) {
            continue;
        }
        // The write that left the 0: another thread's decrement.
        let Some(d) = trace[..a].iter().rposition(|x| x.target == e.target && x.writes()) else {
            continue;
        };
        let dec = &trace[d];
        if dec.thread == e.thread || dec.wrote.as_deref() != Some("0") || dec.read.as_deref().is_none_or(|v| v == "0") {
            continue;
        }
        // The thread's look that led it to the count, and the other
        // thread's change to what it looked at, after its decrement.
        let Some(c) = trace[..a]
            .iter()
            .rposition(|x| x.thread == e.thread && x.target != e.target && looked(x))
        else {
            continue;
        };
        let x = &trace[c].target;
        let Some(u) =
            (d + 1..trace.len()).find(|&k| trace[k].thread == dec.thread && &trace[k].target == x && trace[k].writes())
        else {
            continue;
        };
        let text = format!(
            "raises {y} from 0 on the strength of the look at step {} ({x} was {}), but {who} brought {y} to 0 at step \
             {} and so changed {x} at step {}: a reference taken after the last was let go (increment only a count \
             that is not 0, by compare-exchange, or look up and increment under one lock)",
            look_step(trace, c),
            trace[c].read.as_deref().unwrap_or("read"),
            dec.step,
            trace[u].step,
            y = e.target,
            who = dec.thread,
        );
        set_mark(&mut trace[a], MarkKind::StaleCheck, text);
    }
}

/// For each lost update (T read x, U wrote x, T wrote x over it): the
/// check T went on on, if U changed it while T was inside. T's last read of
/// another object before its read of x found v; U then changed that object
/// from v (it was still v) before U read x itself: U announced itself only
/// after T had looked, and both went in (Peterson's lock with its two
/// assignments swapped). Marks T's check.
pub(super) fn mark_checks_made_stale_inside(trace: &mut [Event]) {
    for w in 0..trace.len() {
        if trace[w].mark_kind != Some(MarkKind::LostUpdate) {
            continue;
        }
        let Some((r, _)) = basis(trace, w) else { continue };
        let (t, x) = (trace[w].thread.clone(), trace[w].target.clone());
        let Some(u) = (r + 1..w)
            .rev()
            .find(|&k| trace[k].target == x && trace[k].thread != t && trace[k].writes())
        else {
            continue;
        };
        let by = trace[u].thread.clone();
        // U's own read of x, on which it wrote.
        let Some(r2) = trace[..u]
            .iter()
            .rposition(|e| e.thread == by && e.target == x && e.reads())
        else {
            continue;
        };
        // T's check: its last atomic read of another object before r.
        let Some(c) = trace[..r]
            .iter()
            .rposition(|e| e.thread == t && e.target != x && !e.target.is_empty() && e.ordering.is_some())
            .filter(|&c| trace[c].only_reads() && trace[c].read.is_some())
        else {
            continue;
        };
        if trace[c].mark.is_some() {
            continue;
        }
        let y = trace[c].target.clone();
        let v = trace[c].read.clone();
        // U's change of it, from v, after the check and before its own read
        // of x.
        let Some(s) = (c + 1..r2).find(|&k| {
            let e = &trace[k];
            e.thread == by && e.target == y && e.writes() && e.wrote.is_some() && e.wrote != v
        }) else {
            continue;
        };
        let before = trace[..s].iter().rposition(|e| e.target == y && e.writes());
        if before.is_some_and(|b| trace[b].wrote != v)
            || (before.is_none() && trace[..c].iter().any(|e| e.target == y && e.writes()))
        {
            continue;
        }
        let text = format!(
            "{t} goes on on this check ({y} was {}), but {by} set {y} to {} at step {} and went in too (its read of \
             {x} at step {}) while {t} was still inside (until step {}): both inside at once, and {by}'s update is \
             lost",
            v.as_deref().unwrap_or("?"),
            trace[s].wrote.as_deref().unwrap_or("?"),
            trace[s].step,
            trace[r2].step,
            trace[w].step,
        );
        set_mark(&mut trace[c], MarkKind::StaleCheck, text);
    }
}

/// Whether the lock at `l` opens the section that `end` closes (no release
/// of it by the thread in between).
fn section_opened(trace: &[Event], l: usize, end: usize) -> bool {
    let (t, x) = (&trace[l].thread, &trace[l].target);
    !trace[l + 1..end]
        .iter()
        .any(|y| &y.thread == t && &y.target == x && y.ends_section())
}

/// Whether the section ending at `end` wrote back exactly what its lock
/// found.
fn section_wrote_back(trace: &[Event], end: usize) -> bool {
    let e = &trace[end];
    trace[..end]
        .iter()
        .rposition(|x| x.thread == e.thread && x.target == e.target && matches!(x.op, Op::Lock | Op::ReadLock))
        .is_some_and(|l| trace[l].read.is_some() && trace[l].read == e.wrote)
}
