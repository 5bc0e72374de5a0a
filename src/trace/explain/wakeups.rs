//! Wake-ups that went wrong: a notify that came before the wait it was
//! meant for (a lost wake-up), a `notify_one` that woke a waiter who waits
//! again while another stays asleep, a woken thread that acts without
//! checking again (`if` where `while` belongs), and a thread that waits on
//! a check made under an earlier lock, without looking again under this one.
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
