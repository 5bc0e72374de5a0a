//! Acting on a wake-up without checking again: a woken thread that changes
//! the value as it was at its pre-wait check (`if` where `while` belongs), a
//! wait on a check made under an earlier lock, a permit-woken thread that a
//! newcomer overtook (the sushi bar), and a wake-up for news the waiter had
//! already seen (a notify sent after the lock was released), and a wait on
//! a check another thread made stale before the thread slept, with no
//! notify to follow (the change made without the lock). Each is a
//! stale check: the condition the thread acts on is no longer what it
//! checked. (Wake-ups that never arrived are [`super::wakeups`]'.)

use crate::trace::{Event, MarkKind, Op};

use super::set_mark;

/// Marks a thread woken from a condvar wait that then changes the value
/// without reading it again: it acts on the check it made before the wait,
/// which the wake-up does not renew (`if` where `while` belongs).
pub(super) fn mark_unchecked_wakeups(trace: &mut [Event]) {
    for w in 0..trace.len() {
        let e = &trace[w];
        if !(e.ends_section() && e.wrote.is_some() && e.read.is_none()) {
            continue;
        }
        let mine = |x: &Event| x.thread == e.thread && x.target == e.target;
        let Some(woken) = trace[..w].iter().rposition(|x| mine(x) && x.op == Op::Lock) else {
            continue;
        };
        if !trace[woken].value.as_deref().is_some_and(|v| v.contains("(woken)")) || trace[woken].mark.is_some() {
            continue;
        }
        let Some(wait) = trace[..woken].iter().rposition(|x| mine(x) && x.op == Op::Wait) else {
            continue;
        };
        // The section before the wait looked at the value; woken, the thread
        // finds it as it was then (a value that changed may have made the
        // condition true: no mark).
        if trace[wait].read.is_none() || trace[woken].read != trace[wait].read {
            continue;
        }
        let checked = super::updates::look_step(trace, wait);
        // Who put it back as it was, after the change the wake-up announced.
        let undone = (wait + 1..woken)
            .rev()
            .find(|&k| trace[k].thread != e.thread && trace[k].target == e.target && trace[k].writes());
        let text = format!(
            "woken here, it finds {x} as it was at its check (step {checked}){}, and changes it without checking \
             again: a wake-up does not make the condition true (wait in a loop: `while`, or `wait_while`)",
            undone.map_or(String::new(), |k| format!(
                " ({} changed it back at step {})",
                trace[k].thread, trace[k].step
            )),
            x = e.target
        );
        set_mark(&mut trace[woken], MarkKind::StaleCheck, text);
    }
}

/// Marks a condvar wait whose critical section did not look at the value,
/// entered after a check under an earlier lock, when another thread changed
/// the value in between: the thread waits on a stale check (the lock it
/// waits under found the value that would have let it go on). The mark goes
/// on the wait, or, if that already says more (a lost wake-up), on the
/// lock that found the new value.
pub(super) fn mark_unchecked_waits(trace: &mut [Event]) {
    use super::updates::{look_step, looked};
    for w in 0..trace.len() {
        let e = &trace[w];
        if e.op != Op::Wait || e.read.is_some() {
            continue;
        }
        let mine = |x: &Event| x.thread == e.thread && x.target == e.target;
        let Some(l) = trace[..w].iter().rposition(|x| mine(x) && x.op == Op::Lock) else {
            continue;
        };
        let found = &trace[l].read;
        if found.is_none() || trace[l].value.as_deref().is_some_and(|v| v.contains("(woken)")) {
            continue;
        }
        let Some(p) = trace[..l].iter().rposition(|x| mine(x) && looked(x)) else {
            continue;
        };
        if trace[p].read == *found {
            continue;
        }
        let Some(u) = (p + 1..l)
            .rev()
            .find(|&k| trace[k].thread != e.thread && trace[k].target == e.target && trace[k].writes())
        else {
            continue;
        };
        let (checked, was, now) = (
            look_step(trace, p),
            trace[p].read.clone().unwrap_or_default(),
            found.clone().unwrap_or_default(),
        );
        let (by, changed, x) = (trace[u].thread.clone(), trace[u].step, e.target.clone());
        if trace[w].mark.is_none() {
            let text = format!(
                "waits on the check at step {checked} ({x} was {was}), made under an earlier lock; {by} changed {x} at \
                 step {changed}, and this lock found {now} at step {} without looking (check under the lock you wait \
                 with: `while`, or `wait_while`)",
                trace[l].step
            );
            set_mark(&mut trace[w], MarkKind::StaleCheck, text);
        } else if trace[l].mark.is_none() {
            let text = format!(
                "finds {x} = {now}, yet the thread waits at step {} on its check at step {checked} ({x} was {was}), \
                 made before {by} changed {x} at step {changed} (check under the lock you wait with: `while`, or \
                 `wait_while`)",
                trace[w].step
            );
            set_mark(&mut trace[l], MarkKind::StaleCheck, text);
        }
    }
}

/// Marks a thread woken by a semaphore permit that then changes the value
/// it had checked before it waited, when a third thread changed that value
/// between the release that woke it and its taking the lock again: it acts
/// on the wake-up as if it were still true (a woken thread competes with
/// newcomers: the sushi bar's and the barbershop's bug). The mark goes on
/// the step that writes (the end of its critical section).
pub(super) fn mark_acts_on_stale_wakeups(trace: &mut [Event]) {
    for a in 0..trace.len() {
        let e = &trace[a];
        if !e.took_permit() {
            continue;
        }
        let t = e.thread.clone();
        // The release whose permit it took, by another thread.
        let Some(r) = trace[..a]
            .iter()
            .rposition(|x| x.op == Op::Release && x.target == e.target && x.thread != t)
        else {
            continue;
        };
        // Its next critical section, on an object it had looked at before.
        let Some(l) = (a + 1..trace.len()).find(|&k| trace[k].thread == t && trace[k].op == Op::Lock) else {
            continue;
        };
        let x = trace[l].target.clone();
        if !trace[..a].iter().any(|y| y.thread == t && y.target == x && y.reads()) {
            continue;
        }
        let Some(end) =
            (l + 1..trace.len()).find(|&k| trace[k].thread == t && trace[k].target == x && trace[k].ends_section())
        else {
            continue;
        };
        if trace[end].wrote.is_none() || trace[end].mark.is_some() {
            continue;
        }
        // A third thread's change between the wake-up and the lock.
        let Some(k) = (r + 1..l).find(|&k| {
            let y = &trace[k];
            y.thread != t && y.thread != trace[r].thread && y.target == x && y.writes()
        }) else {
            continue;
        };
        let text = format!(
            "acts on the wake-up of step {} ({}'s release of {}), but {} changed {x} at step {} before this thread took \
             the lock again (step {}): woken, it competes with newcomers, and goes on without checking again (check \
             in a loop, or have the waker act for it)",
            trace[r].step,
            trace[r].thread,
            trace[r].target,
            trace[k].thread,
            trace[k].step,
            trace[l].step
        );
        set_mark(&mut trace[end], MarkKind::StaleCheck, text);
    }
}

/// Marks a thread woken by a notify that announced nothing it had not seen:
/// every write the notifier made since its previous notify, this thread had
/// already read before it began to wait (a notify sent after the lock was
/// released, for an item the waiter took without waiting). The wake-up is
/// stale: the condition it waits for is as false as at its check. The mark
/// goes on the woken lock.
pub(super) fn mark_stale_notifies(trace: &mut [Event]) {
    for w in 0..trace.len() {
        let e = &trace[w];
        if e.op != Op::Lock || e.mark.is_some() || !e.value.as_deref().is_some_and(|v| v.contains("(woken)")) {
            continue;
        }
        let t = e.thread.clone();
        let Some(wait) = trace[..w].iter().rposition(|x| x.thread == t && x.op == Op::Wait) else {
            continue;
        };
        let Some(cv) = trace[wait]
            .value
            .as_deref()
            .and_then(|v| v.strip_prefix("on "))
            .map(str::to_owned)
        else {
            continue;
        };
        let Some(n) = (wait + 1..w)
            .rev()
            .find(|&k| trace[k].op == Op::Notify && trace[k].target == cv && trace[k].thread != t)
        else {
            continue;
        };
        let u = trace[n].thread.clone();
        let since = trace[..n]
            .iter()
            .rposition(|x| x.thread == u && x.op == Op::Notify && x.target == cv)
            .map_or(0, |p| p + 1);
        let news: Vec<usize> = (since..n)
            .filter(|&k| trace[k].thread == u && trace[k].wrote.is_some() && !trace[k].target.is_empty())
            .collect();
        if news.is_empty() {
            continue;
        }
        // Each of those writes, read by this thread before its wait.
        let seen: Option<Vec<usize>> = news
            .iter()
            .map(|&k| {
                (k + 1..wait).find(|&r| {
                    let x = &trace[r];
                    x.thread == t && x.target == trace[k].target && x.read.is_some() && x.read == trace[k].wrote
                })
            })
            .collect();
        let Some(seen) = seen else { continue };
        let (k, r) = (news[news.len() - 1], seen[seen.len() - 1]);
        let text = format!(
            "woken by {u}'s notify of step {}, which announced its write of {} at step {}; but this thread had seen \
             that already (step {}) before it began to wait (step {}): nothing is new, and it goes on as if something \
             were (wait in a loop that checks again: `while`, or `wait_while`; or notify while holding the lock)",
            trace[n].step, trace[k].target, trace[k].step, trace[r].step, trace[wait].step
        );
        set_mark(&mut trace[w], MarkKind::StaleCheck, text);
    }
}

/// Marks a condvar wait on a check (a read of another object under the
/// lock the thread waits with) that another thread changed before the
/// thread slept, when no notify of that condvar came after the wait: what
/// the thread waits for has already happened. The other thread changed it
/// without holding the lock (it could not have, while this thread held
/// it), so the change fell between the check and the sleep.
pub(super) fn mark_waits_on_changed_checks(trace: &mut [Event]) {
    for w in 0..trace.len() {
        let e = &trace[w];
        if e.op != Op::Wait || e.mark.is_some() {
            continue;
        }
        let Some(cv) = e.value.as_deref().and_then(|v| v.strip_prefix("on ")) else {
            continue;
        };
        if trace[w + 1..].iter().any(|x| x.op == Op::Notify && x.target == cv) {
            continue;
        }
        let mine = |x: &Event| x.thread == e.thread;
        let Some(l) = trace[..w]
            .iter()
            .rposition(|x| mine(x) && x.target == e.target && x.op == Op::Lock)
        else {
            continue;
        };
        // The check: a read of another object in the section, changed by
        // another thread before the wait.
        let found = (l + 1..w).find_map(|r| {
            let c = &trace[r];
            if !mine(c) || !c.only_reads() || c.target == e.target || c.target.is_empty() || c.read.is_none() {
                return None;
            }
            let u = (r + 1..w).find(|&k| {
                let x = &trace[k];
                x.thread != e.thread && x.target == c.target && x.writes() && x.wrote.is_some() && x.wrote != c.read
            })?;
            // The thread did not look again.
            (!trace[r + 1..w].iter().any(|x| mine(x) && x.target == c.target)).then_some((r, u))
        });
        let Some((r, u)) = found else {
            continue;
        };
        let text = format!(
            "waits on the check at step {} ({x} was {was}), but {by} set {x} to {now} at step {}, before this thread \
             slept, and no notify of {cv} came after: what it waits for has happened ({by} changed {x} without \
             holding {m}, so the change fell between the check and the wait)",
            trace[r].step,
            trace[u].step,
            x = trace[r].target,
            was = trace[r].read.as_deref().unwrap_or("?"),
            by = trace[u].thread,
            now = trace[u].wrote.as_deref().unwrap_or("?"),
            m = e.target,
        );
        set_mark(&mut trace[w], MarkKind::StaleCheck, text);
    }
}
