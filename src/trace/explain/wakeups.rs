//! Wake-ups that went wrong: a notify that came before the wait it was
//! meant for (a lost wake-up), and a `notify_one` that woke a waiter who
//! waits again while another stays asleep. (A thread that acts on a
//! wake-up without checking again is [`super::woken`]'s.)
//!
//! The first two are read off a deadlocked trace's `blocked on` lines for
//! condition variables: what notified that condition variable, and when,
//! against when the blocked thread began its last wait.

use crate::trace::{blocked_op, Event, MarkKind, Op};

use super::set_mark;

/// Marks the wake-ups behind each thread blocked on a condition variable;
/// returns what to add to the deadlock's summary.
pub(super) fn mark(trace: &mut [Event]) -> Vec<String> {
    let blocked: Vec<usize> = (0..trace.len())
        .filter(|&i| blocked_op(&trace[i]) == Some(Op::Wait))
        .collect();
    let mut lost = Vec::new();
    for &i in &blocked {
        if let Some(n) = notify_before_wait(trace, i) {
            lost.push((i, n));
        } else if let Some((n, woken, again)) = wrong_waiter_woken(trace, i) {
            let text = format!(
                "wakes one waiter, {}, which finds its condition still false and waits again (step {}); {}, \
                 waiting on {} too, is never woken (notify_all wakes every waiter)",
                trace[woken].thread, trace[again].step, trace[i].thread, trace[i].target
            );
            set_mark(&mut trace[n], MarkKind::LostWakeup, text);
        } else if let Some((n, woken, change)) = other_left_asleep(trace, i) {
            let text = format!(
                "wakes one waiter, {}; {}, waiting on {} too, is never woken: {}'s change of {} at step {} came with \
                 no notify (notify_all, or a notify for every change that may let a waiter go on)",
                trace[woken].thread,
                trace[i].thread,
                trace[i].target,
                trace[change].thread,
                trace[change].target,
                trace[change].step
            );
            set_mark(&mut trace[n], MarkKind::LostWakeup, text);
        }
    }
    let mut parts = Vec::new();
    for (i, n) in lost {
        let wait_at = wait_step(trace, i).unwrap_or(0);
        let text = if trace[n].step > wait_at {
            // A wait gives up the lock and sleeps in one step: a notify can
            // fall between the waiter's check and its sleep only if the
            // notifier did not hold the lock.
            let mutex = trace[..i]
                .iter()
                .rposition(|w| w.thread == trace[i].thread && w.op == Op::Wait)
                .map(|w| trace[w].target.clone())
                .unwrap_or_default();
            let unlocked = !holds(trace, n, &mutex);
            if let Some(c) = check_outside_lock(trace, i, &mutex) {
                format!(
                    "lost wake-up: this thread decided to wait on its check at step {} ({} was {}), made before it \
                     took {mutex}; the notify at step {} came before it slept, and none came after (check under the \
                     lock, and change and notify under it, so nothing can fall between the check and the sleep)",
                    trace[c].step,
                    trace[c].target,
                    trace[c].read.as_deref().unwrap_or("?"),
                    trace[n].step
                )
            } else {
                format!(
                    "lost wake-up: the notify at step {} came after this thread decided to wait (step {wait_at}) but \
                 before it slept{}, and none came after",
                    trace[n].step,
                    if unlocked {
                        format!(
                            ": {} notified without holding {mutex} (notify under the lock, so it cannot fall between \
                         the check and the sleep)",
                            trace[n].thread
                        )
                    } else {
                        String::new()
                    }
                )
            }
        } else {
            format!(
                "lost wake-up: the notify at step {} came before this thread began to wait (at step {wait_at}), and none \
                 came after",
                trace[n].step
            )
        };
        // The wait that began too late carries the lost wake-up; the
        // blocked line stays part of the deadlock.
        if let Some(wait) = trace[..i]
            .iter()
            .rposition(|w| w.thread == trace[i].thread && w.op == Op::Wait)
        {
            set_mark(&mut trace[wait], MarkKind::LostWakeup, text.clone());
        }
        if trace[n].mark.is_none() {
            let text = format!(
                "notifies {}, but no thread waits yet: the wake-up is lost",
                trace[n].target
            );
            set_mark(&mut trace[n], MarkKind::LostWakeup, text);
        }
        parts.push(format!("{}: {text}", trace[i].thread));
    }
    parts
}

/// For the thread of line `i`, blocked on a condition variable: a
/// `notify (one)` of it that came while this thread waited and woke another
/// waiter instead, which then waited again (its condition still false).
/// Returns the notify, the woken thread's wake-up, and its next wait.
fn wrong_waiter_woken(trace: &[Event], i: usize) -> Option<(usize, usize, usize)> {
    let e = &trace[i];
    let wait = trace[..i]
        .iter()
        .rposition(|w| w.thread == e.thread && w.op == Op::Wait)?;
    (wait + 1..i).find_map(|n| {
        let x = &trace[n];
        if x.op != Op::Notify || x.target != e.target || x.value.as_deref().is_some_and(|v| v.contains("all")) {
            return None;
        }
        let woken = (n + 1..i).find(|&k| {
            trace[k].op == Op::Lock
                && trace[k].thread != e.thread
                && trace[k].value.as_deref().is_some_and(|v| v.contains("(woken)"))
        })?;
        let again = (woken + 1..i).find(|&k| trace[k].thread == trace[woken].thread)?;
        (trace[again].op == Op::Wait && trace[again].value.as_deref() == trace[wait].value.as_deref())
            .then_some((n, woken, again))
    })
}

/// For the thread of line `i`, blocked on a condition variable: a
/// `notify (one)` of it that came while this thread waited and woke another
/// waiter (which went on), after which some thread changed the state under
/// the wait's lock with no notify of the condition variable to follow.
/// Returns the notify, the other waiter's wake-up, and the silent change.
fn other_left_asleep(trace: &[Event], i: usize) -> Option<(usize, usize, usize)> {
    let e = &trace[i];
    let wait = trace[..i]
        .iter()
        .rposition(|w| w.thread == e.thread && w.op == Op::Wait)?;
    let mutex = &trace[wait].target;
    let n = (wait + 1..i).find(|&n| {
        let x = &trace[n];
        x.op == Op::Notify && x.target == e.target && !x.value.as_deref().is_some_and(|v| v.contains("all"))
    })?;
    let woken = (n + 1..i).find(|&k| {
        trace[k].op == Op::Lock
            && trace[k].thread != e.thread
            && trace[k].value.as_deref().is_some_and(|v| v.contains("(woken)"))
    })?;
    let change = (n + 1..i).find(|&k| {
        let x = &trace[k];
        &x.target == mutex && x.ends_section() && x.wrote.is_some() && !holds_at_notify(trace, k, n)
    })?;
    // No notify of the condition variable after the change.
    if trace[change..i]
        .iter()
        .any(|x| x.op == Op::Notify && x.target == e.target)
    {
        return None;
    }
    Some((n, woken, change))
}

/// Whether the section ending at `end` is the one the notify at `n` was
/// made in (the notifier's own change, which that notify announced).
fn holds_at_notify(trace: &[Event], end: usize, n: usize) -> bool {
    trace[end].thread == trace[n].thread
        && !trace[n + 1..end]
            .iter()
            .any(|x| x.thread == trace[n].thread && x.target == trace[end].target && x.op == Op::Lock)
}

/// The step at which the blocked thread of line `i` began its last wait.
fn wait_step(trace: &[Event], i: usize) -> Option<usize> {
    let e = &trace[i];
    trace[..i]
        .iter()
        .rev()
        .find(|w| w.thread == e.thread && w.op == Op::Wait)
        .map(|w| w.step)
}

/// A notify of the condition variable the thread of line `i` waits on that
/// came before its wait, with none after.
fn notify_before_wait(trace: &[Event], i: usize) -> Option<usize> {
    let e = &trace[i];
    let wait = trace[..i]
        .iter()
        .rposition(|w| w.thread == e.thread && w.op == Op::Wait)?;
    let on_cv = |n: &Event| n.op == Op::Notify && n.target == e.target;
    if let Some(n) = (wait + 1..i).find(|&n| on_cv(&trace[n])) {
        // A notify after the `wait` line that did not wake this thread,
        // though it woke all waiters or found no other: it came while the
        // thread had released the lock but was not yet asleep (the line is
        // recorded before the model registers the waiter). Its wake-up was
        // lost all the same.
        let all = trace[n].value.as_deref().is_some_and(|v| v.contains("all"));
        let woke = trace[n + 1..i].iter().any(|x| x.thread == e.thread);
        return (!woke && (all || !someone_waits(trace, n, &e.target, &e.thread))).then_some(n);
    }
    // A notify before an earlier wait of this thread may have woken that one.
    let since = trace[..wait]
        .iter()
        .rposition(|w| w.thread == e.thread && w.op == Op::Wait)
        .map_or(0, |p| p + 1);
    let n = trace[since..wait].iter().rposition(on_cv).map(|n| since + n)?;
    // Lost only if nobody waited when it came: a notify that woke another
    // waiter was not lost, it woke the wrong thread.
    if someone_waits(trace, n, &e.target, &e.thread) {
        return None;
    }
    // Nor if a third thread took what it announced before this thread
    // waited (it changed the value under the wait's lock): the notify was
    // for that, and this thread's wait rests on a check of its own.
    let (mutex, notifier) = (&trace[wait].target, &trace[n].thread);
    let consumed = trace[n + 1..wait]
        .iter()
        .any(|x| &x.target == mutex && x.writes() && x.thread != e.thread && &x.thread != notifier);
    // Nor if this thread itself took the news (changed what the notifier
    // had written before it) between the notify and this wait: it waits
    // for the next, which is another story.
    let news_since = trace[..n]
        .iter()
        .rposition(|x| &x.thread == notifier && x.op == Op::Notify && x.target == e.target)
        .map_or(0, |p| p + 1);
    let news: Vec<&str> = trace[news_since..n]
        .iter()
        .filter(|x| &x.thread == notifier && x.writes() && !x.target.is_empty())
        .map(|x| x.target.as_str())
        .collect();
    let taken = trace[n + 1..wait]
        .iter()
        .any(|x| x.thread == e.thread && x.writes() && news.contains(&x.target.as_str()));
    (!consumed && !taken).then_some(n)
}

/// Whether some thread other than `except` waits on condition variable `cv`
/// at step `n`: its last `wait ... on cv` before `n` is not followed by its
/// wake-up.
fn someone_waits(trace: &[Event], n: usize, cv: &str, except: &str) -> bool {
    let on = format!("on {cv}");
    let waits_here = |w: &Event| w.op == Op::Wait && w.value.as_deref().is_some_and(|v| v.ends_with(&on));
    trace[..n].iter().enumerate().any(|(k, w)| {
        waits_here(w)
            && w.thread != trace[n].thread
            && w.thread != except
            && !trace[k + 1..n].iter().any(|x| x.thread == w.thread)
    })
}

/// Whether the thread of event `n` holds lock `mutex` at that step: its
/// last `lock` of it before `n` is not followed by its unlock or wait.
fn holds(trace: &[Event], n: usize, mutex: &str) -> bool {
    let t = &trace[n].thread;
    trace[..n]
        .iter()
        .rev()
        .find(|e| &e.thread == t && e.target == mutex && matches!(e.op, Op::Lock | Op::Unlock | Op::Wait))
        .is_some_and(|e| e.op == Op::Lock)
}

/// For the thread of line `i`, blocked on a condvar it waits on with
/// `mutex`: its check of another object made before it took `mutex` (and
/// not made again under it), if that is what it decided to wait on.
fn check_outside_lock(trace: &[Event], i: usize, mutex: &str) -> Option<usize> {
    let t = &trace[i].thread;
    let wait = trace[..i].iter().rposition(|w| &w.thread == t && w.op == Op::Wait)?;
    let lock = trace[..wait]
        .iter()
        .rposition(|w| &w.thread == t && w.target == mutex && w.op == Op::Lock)?;
    // Under the lock it looked at nothing but the lock's own value.
    if trace[lock + 1..wait]
        .iter()
        .any(|x| &x.thread == t && x.only_reads() && x.target != mutex)
    {
        return None;
    }
    let c = trace[..lock]
        .iter()
        .rposition(|x| &x.thread == t && x.target != mutex)?;
    (trace[c].only_reads() && trace[c].read.is_some() && !trace[c].target.is_empty()).then_some(c)
}
