//! Writes that act on what the thread read earlier, after another thread
//! changed it: lost updates, acts on stale checks, and ABA.
//!
//! The rule, for every write W by thread T to object x: W's *basis* is T's
//! last read of x before W (a load, a cell read, the value found by a
//! `lock`). With no read since T's own last write of x, W is a blind write:
//! it loses nothing, whatever it overwrites. Otherwise, if another thread U
//! wrote x between the basis and W:
//! - a plain write (store, cell write, a write under a lock) replaces U's
//!   value with one computed from the older read: a *lost update*; unless x
//!   is a flag (`true`/`false`, or a value U itself puts back later: a claim
//!   such as a lock word) that T sets to the value U already set, which
//!   loses nothing: T *acts on a stale check*; or unless U changed x and
//!   changed it back, so T's write replaces the very value T read: T acts on
//!   a check that was false in between (*stale check*);
//! - a read-modify-write acts on a check that U made stale, or, if a
//!   compare-exchange succeeds on the value T read although U changed it in
//!   between, the value changed and changed back: *ABA*.
//!
//! A write under a lock that leaves the value as the lock found it is no
//! evidence that the thread used what it found (an informed update changes
//! the value); its basis is then the thread's read before that lock.
//!
//! (Acts on a check of one object that write another are
//! [`super::stale_acts`]'.)

use crate::trace::{Event, MarkKind, Op};

use super::hb::HappensBefore;
use super::set_mark;

pub(super) fn is_flag(value: Option<&str>) -> bool {
    matches!(value, Some("true" | "false"))
}

/// Where a thread looked at an object's value: a plain read, a critical
/// section that read it (its `lock` line shows the value), or a read lock.
pub(super) fn looked(e: &Event) -> bool {
    // A read lock only reads: taking it is the look.
    (e.op.is_plain_read() || (e.ends_section() && e.read.is_some()) || (e.op == Op::ReadLock && e.read.is_some()))
        && !e.writes()
}

/// The step to cite for a look: a section's `lock` line, or the read.
pub(super) fn look_step(trace: &[Event], r: usize) -> usize {
    let e = &trace[r];
    if e.ends_section() {
        if let Some(l) = trace[..r]
            .iter()
            .rposition(|x| x.thread == e.thread && x.target == e.target && matches!(x.op, Op::Lock | Op::ReadLock))
        {
            return trace[l].step;
        }
    }
    e.step
}

/// W's basis (see the module doc), and whether W's own last look was no
/// evidence for it (a section that wrote without reading, a compare-exchange
/// that left the value as it found it): the value then comes from an older
/// read.
pub(super) fn basis(trace: &[Event], w: usize) -> Option<(usize, bool)> {
    let e = &trace[w];
    let mine = |x: &Event| x.thread == e.thread && x.target == e.target;
    if e.ends_section() {
        // A section that read the value updated it under the lock.
        if e.read.is_some() {
            return None;
        }
        // A section entered on a wake-up: whether it acted on its pre-wait
        // check is `wakeups::mark_unchecked_wakeups`' question.
        let lock = trace[..w]
            .iter()
            .rposition(|x| mine(x) && matches!(x.op, Op::Lock | Op::ReadLock));
        if lock.is_some_and(|l| trace[l].value.as_deref().is_some_and(|v| v.contains("(woken)"))) {
            return None;
        }
        // One that did not wrote what the thread computed before the lock.
        let p = trace[..w].iter().rposition(|x| mine(x) && (looked(x) || x.writes()))?;
        return looked(&trace[p]).then_some((p, true));
    }
    let p = trace[..w].iter().rposition(|x| mine(x) && (x.reads() || x.writes()))?;
    let unchanged = e.op == Op::CompareExchange && e.read.is_some() && e.read == e.wrote;
    if unchanged {
        // The exchange wrote what was there: its new value comes from a read
        // that saw something else.
        let q = trace[..w]
            .iter()
            .rposition(|x| mine(x) && (x.writes() || (x.reads() && x.read.is_some() && x.read != e.wrote)))?;
        return trace[q].only_reads().then_some((q, true));
    }
    trace[p].only_reads().then_some((p, false))
}

/// Whether the section ending at `w` (which wrote without reading through
/// `Deref`) changed the value its lock found by as much as another thread
/// changed it since the thread's earlier look (`old`): both applied the
/// same step, this one to what it found (`*guard += 1`). A write computed
/// from the earlier look instead (`*guard = old + 1`) writes back what the
/// lock found, and loses the other thread's step.
fn updated_what_it_found(trace: &[Event], w: usize, old: Option<&str>) -> bool {
    let e = &trace[w];
    let Some(l) = trace[..w]
        .iter()
        .rposition(|x| x.thread == e.thread && x.target == e.target && matches!(x.op, Op::Lock | Op::ReadLock))
    else {
        return false;
    };
    let number = |v: Option<&str>| v.and_then(|v| v.parse::<f64>().ok());
    match (
        number(old),
        number(trace[l].read.as_deref()),
        number(e.wrote.as_deref()),
    ) {
        (Some(old), Some(found), Some(wrote)) => found != old && wrote - found == found - old,
        _ => false,
    }
}

/// Whether the section ending at `w` wrote back exactly the value its lock
/// found.
fn wrote_back_what_it_found(trace: &[Event], w: usize) -> bool {
    let e = &trace[w];
    trace[..w]
        .iter()
        .rposition(|x| x.thread == e.thread && x.target == e.target && matches!(x.op, Op::Lock | Op::ReadLock))
        .is_some_and(|l| trace[l].read.is_some() && trace[l].read == e.wrote)
}

/// Marks lost updates, acts on stale checks of the same object, and ABA.
pub(super) fn mark_same_object(trace: &mut [Event], hb: &HappensBefore) {
    for w in 0..trace.len() {
        let e = &trace[w];
        if !e.writes() || e.target.is_empty() || e.mark.is_some() {
            continue;
        }
        let Some((r, stale_value)) = basis(trace, w) else {
            continue;
        };
        // Another thread's write between the basis and W, that W really
        // came after (see `hb::landed_after`).
        let Some(u) = (r + 1..w).rev().find(|&k| {
            trace[k].target == e.target
                && trace[k].thread != e.thread
                && trace[k].writes()
                && !super::hb::landed_after(trace, hb, k, w)
        }) else {
            continue;
        };
        let (checked, changed, by) = (look_step(trace, r), trace[u].step, trace[u].thread.clone());
        // One mark per stale check: an earlier act on it is already marked
        // (an act on a later check, of another object, is another matter).
        let cites = format!("the check at step {checked} (");
        let check_marked = trace[r + 1..w].iter().any(|x| {
            x.thread == e.thread
                && x.mark_kind == Some(MarkKind::StaleCheck)
                && x.mark.as_deref().is_some_and(|m| m.contains(&cites))
        });
        let read = trace[r].read.clone();
        let target = e.target.clone();
        let plain = e.is_plain_write() || stale_value;
        let numeric = read.as_deref().is_some_and(|v| v.parse::<f64>().is_ok());
        // A value the other thread puts back later as T found it (a flag set
        // and cleared, a lock word) is a claim, not an amount: writing the
        // same claim over it loses nothing of U's.
        let claim = read.is_some()
            && trace[w + 1..]
                .iter()
                .any(|k| k.thread == by && k.target == e.target && k.writes() && k.wrote == read);
        // Clearing what U already cleared (0, None, null over the same) is
        // a second delete, not a lost update: it acts on its stale check.
        let cleared = e.is_plain_write()
            && matches!(e.wrote.as_deref(), Some("0" | "None" | "null" | "[]" | "{}" | "\"\""))
            && e.wrote == trace[u].wrote;
        let flag_like = is_flag(read.as_deref()) || claim || cleared;
        // The value T read is back when T writes (U changed it and changed
        // it back): T's write loses nothing, but acts on a check that was
        // false in between.
        let changed_in_between = (e.is_plain_write() && read.is_some() && trace[u].wrote == read)
            .then(|| {
                (r + 1..u).find(|&k| {
                    let x = &trace[k];
                    x.target == e.target && x.thread != e.thread && x.writes() && x.wrote.is_some() && x.wrote != read
                })
            })
            .flatten();
        let (kind, text) = if let Some(k) = changed_in_between {
            (
                MarkKind::StaleCheck,
                format!(
                    "acts on the check at step {checked} ({target} was {v}), but {} set it to {} at step {} (it was \
                     {v} again by step {changed}: what happened in between went unseen)",
                    trace[k].thread,
                    trace[k].wrote.as_deref().unwrap_or("?"),
                    trace[k].step,
                    v = read.as_deref().unwrap_or("?"),
                ),
            )
        } else if plain {
            // Other writes by this thread since the read: it acted on what it
            // read, so the read was a check.
            let acted_since = trace[r + 1..w]
                .iter()
                .any(|x| x.thread == e.thread && x.writes() && !x.target.is_empty());
            // A store, after other acts on the check, that replaces another
            // thread's different value with one of its own: that value is
            // lost too (marked even if an earlier act on the check is).
            let replaces = acted_since
                && e.op.is_plain_write()
                && !is_flag(read.as_deref())
                && e.wrote.is_some()
                && trace[u].wrote.is_some()
                && e.wrote != trace[u].wrote;
            let acts_on_check = if acted_since {
                true
            } else if e.ends_section() {
                // Not a number, so not an update: a change made on the
                // strength of what the earlier look found; unless it wrote
                // back just what the lock found, the other thread's value (a
                // copy updated from the earlier look: that update is lost).
                // A number changed from what the lock found by the step
                // another thread took from the earlier look was updated under
                // the lock (`*guard += 1`): it acted on the earlier look as a
                // check.
                // Left as the lock found it: a copy updated from the earlier
                // look, whose count-like change (`{hits: 0}` to `{hits: 1}`)
                // is lost; but an element added again (a set's insert) was
                // only added twice: the work was redone, nothing is lost.
                if numeric {
                    updated_what_it_found(trace, w, read.as_deref())
                } else {
                    !wrote_back_what_it_found(trace, w) || !counts_changed(read.as_deref(), e.wrote.as_deref())
                }
            } else {
                // Setting a flag to the value the other thread already set
                // loses nothing: it acts on the stale check. (A number
                // written twice is a counter's lost update: 0 -> 1, twice.)
                // Nor does writing just what it read: no update computed
                // from the read (that changes it), but the read, as a check,
                // led it to set that value (`setfl` storing its argument).
                (flag_like && e.wrote.is_some() && e.wrote == trace[u].wrote) || (e.wrote.is_some() && e.wrote == read)
            };
            if replaces {
                (
                    MarkKind::StaleCheck,
                    format!(
                        "overwrites step {changed} ({by}'s update is lost): it acts on the check at step {checked} \
                         ({target} was {}), made before {by} changed {target}",
                        read.as_deref().unwrap_or("?")
                    ),
                )
            } else if acts_on_check && (e.ends_section() || !flag_like) {
                let redone = e.ends_section()
                    && !numeric
                    && wrote_back_what_it_found(trace, w)
                    && !counts_changed(read.as_deref(), e.wrote.as_deref());
                (
                    MarkKind::StaleCheck,
                    format!(
                        "acts on the check at step {checked} ({}), but {by} changed {target} at step {changed}{}",
                        if e.ends_section() {
                            match read.as_deref() {
                                Some(v) => format!("{target} was {v}, under an earlier lock"),
                                None => "under an earlier lock".to_owned(),
                            }
                        } else {
                            format!("{target} was {}", read.as_deref().unwrap_or("?"))
                        },
                        if redone {
                            format!(
                                ": this section found {by}'s change already made, and added nothing (the work was \
                                 done twice)"
                            )
                        } else {
                            String::new()
                        }
                    ),
                )
            } else if acts_on_check {
                (
                    MarkKind::StaleCheck,
                    format!(
                        "acts on the check at step {checked} ({target} was {}), but {by} set it to {} at step {changed}",
                        read.as_deref().unwrap_or("?"),
                        trace[u].wrote.as_deref().unwrap_or("?")
                    ),
                )
            } else {
                (
                    MarkKind::LostUpdate,
                    format!(
                        "overwrites step {changed} ({by}'s update is lost): the value written comes from the read at \
                         step {checked}"
                    ),
                )
            }
        } else if e.op == Op::CompareExchange && read.is_some() && read == e.read {
            (
                MarkKind::Aba,
                format!(
                    "succeeds although {by} changed {target} at step {changed} after the read at step {checked} (ABA: \
                     it changed and changed back)"
                ),
            )
        } else {
            (
                MarkKind::StaleCheck,
                format!("acts on the check at step {checked}, but {by} changed {target} at step {changed}"),
            )
        };
        if kind == MarkKind::StaleCheck && check_marked && !text.starts_with("overwrites") {
            continue;
        }
        set_mark(&mut trace[w], kind, text);
    }
}

/// Marks a write made after the thread read the object twice, found it
/// changed by another thread the second time, and wrote anyway: the
/// decision was taken on the first read (`if available() { acquire() }`,
/// each a separate read), which the other thread made stale. The write is
/// marked, or its read if the write already carries a mark (a lost update).
///
/// Not when both reads are one call run twice (a loop polling until the
/// change came; where the source is unknown, a thread that yielded in
/// between), when the thread waited in between (for that change), nor when
/// it wrote anything in between (its own update read back, or an act on the
/// first read, after which the second starts an update of its own).
pub(super) fn mark_acts_after_reread(trace: &mut [Event]) {
    let plain_read = |e: &Event| matches!(e.op, Op::Load | Op::CellRead) && e.read.is_some();
    for w in 0..trace.len() {
        let e = &trace[w];
        if !e.op.is_plain_write() || e.target.is_empty() {
            continue;
        }
        let mine = |x: &Event| x.thread == e.thread && x.target == e.target;
        let Some(r) = trace[..w].iter().rposition(|x| mine(x) && (x.reads() || x.writes())) else {
            continue;
        };
        let Some(c) = trace[..r].iter().rposition(|x| mine(x) && (x.reads() || x.writes())) else {
            continue;
        };
        if !plain_read(&trace[r]) || !plain_read(&trace[c]) || trace[c].read == trace[r].read {
            continue;
        }
        // A thread that waited in between (a condvar, a lock it found
        // taken) went on because of the change; one that ran the same call
        // again polled until it came (and so, where the source is unknown,
        // did one that yielded).
        let between = || trace[c..r].iter().filter(|x| x.thread == e.thread);
        let waited = between().any(|x| {
            matches!(
                x.op,
                Op::Wait | Op::Blocked | Op::Join | Op::Recv | Op::Acquire | Op::Arrive
            ) || x.value.as_deref().is_some_and(|v| v.contains("(woken)"))
        });
        if waited
            || trace[c]
                .same_call(&trace[r])
                .unwrap_or_else(|| between().any(|x| x.yielded))
        {
            continue;
        }
        // A thread that acted on the first read already (wrote something
        // else on it) updates the object afresh from the second.
        if between().any(|x| x.writes() && !x.target.is_empty()) {
            continue;
        }
        // The other thread's write that the second read saw.
        let Some(u) = (c + 1..r).rev().find(|&k| {
            let x = &trace[k];
            x.target == e.target && x.thread != e.thread && x.writes() && x.wrote == trace[r].read
        }) else {
            continue;
        };
        let (checked, step) = (trace[c].step, trace[u].step);
        let cites = format!("the check at step {checked} (");
        if trace[c + 1..w].iter().any(|x| {
            x.thread == e.thread
                && x.mark_kind == Some(MarkKind::StaleCheck)
                && x.mark.as_deref().is_some_and(|m| m.contains(&cites))
        }) {
            continue;
        }
        let text = format!(
            "acts on the check at step {checked} ({} was {}), but {} set it to {} at step {step}: the read at step {} \
             saw the change, and the thread went on as the check had decided",
            e.target,
            trace[c].read.as_deref().unwrap_or("?"),
            trace[u].thread,
            trace[u].wrote.as_deref().unwrap_or("?"),
            trace[r].step,
        );
        let at = if trace[w].mark.is_none() { w } else { r };
        set_mark(&mut trace[at], MarkKind::StaleCheck, text);
    }
}

/// Marks a write that the trace shows first but that came last in its
/// object's order of writes (a later read that the other write happens
/// before reads this one: see `hb::landed_after`), when its value comes
/// from a read that did not see the other write: it overwrote that update,
/// which is lost, though the timeline lists it after. (Under loom two
/// unsynchronised stores land in either order, whatever order they ran in.)
pub(super) fn mark_overwrites_in_write_order(trace: &mut [Event], hb: &HappensBefore) {
    for w in 0..trace.len() {
        let e = &trace[w];
        if !e.op.is_plain_write() || e.target.is_empty() || e.mark.is_some() {
            continue;
        }
        let Some((r, false)) = basis(trace, w) else { continue };
        let Some(u) = (w + 1..trace.len()).find(|&u| {
            let x = &trace[u];
            x.target == e.target && x.thread != e.thread && x.writes() && super::hb::landed_after(trace, hb, w, u)
        }) else {
            continue;
        };
        let Some(seen) = (w + 1..trace.len()).find(|&k| {
            trace[k].target == e.target
                && trace[k].reads()
                && hb.ordered(u, k)
                && super::hb::read_from(trace, k) == Some(w)
        }) else {
            continue;
        };
        let text = format!(
            "lands after step {}'s write in {x}'s order of writes, though shown before it ({} reads this write's {} \
             at step {}, after {}'s write happened before that read): it overwrites {}'s update, and its value comes \
             from the read at step {}, which did not see it ({}'s update is lost)",
            trace[u].step,
            trace[seen].thread,
            e.wrote.as_deref().unwrap_or("value"),
            trace[seen].step,
            trace[u].thread,
            trace[u].thread,
            trace[r].step,
            trace[u].thread,
            x = e.target,
        );
        set_mark(&mut trace[w], MarkKind::LostUpdate, text);
    }
}

/// Whether the numbers in two shown values differ while their shape stays
/// (`{hits: 0}` and `{hits: 1}`): a count inside changed, rather than
/// elements added (`{"A", "B"}` and `{"A", "B", "D"}`).
fn counts_changed(before: Option<&str>, after: Option<&str>) -> bool {
    let (Some(a), Some(b)) = (before, after) else {
        return false;
    };
    let shape = |v: &str| v.chars().filter(|c| !c.is_ascii_digit()).collect::<String>();
    shape(a) == shape(b) && a != b
}
