//! Why threads wait for ever: a wait-for graph over every blocking
//! primitive (the wake-ups that went wrong are `wakeups.rs`).
//!
//! Each `blocked on` line (appended when an execution deadlocks) says what
//! its thread waits in. A thread waiting for a lock waits for its holders; a
//! thread joining another waits for that thread; a thread waiting on a
//! condition variable, a channel, a semaphore or a barrier waits for some
//! other thread to notify, send, release or arrive, and every thread that
//! could still do it is blocked too (a semaphore's is the thread that took
//! its last permit; a barrier's, the threads that finished without
//! arriving). A wait-for cycle is named thread by thread.

use crate::trace::{blocked_op, Event, MarkKind, Op};

use super::givers::{
    could_still_give, finished_without_arriving, giving, holders, joiners_only, last_taker, lock_mode, own_lock,
    stray_notify,
};
use super::set_mark;

/// What one blocked thread waits for.
struct Waiter {
    index: usize,
    thread: String,
    /// The threads it waits for (holders, the joined thread), if specific.
    on: Vec<String>,
    what: String,
    /// `on` is the thread joining this one, which alone could still wake it.
    for_joiner: bool,
    /// `on` is the one other stuck thread that could still wake it, and it
    /// waits for this one likewise.
    mutual: bool,
    /// `on` is the one other stuck thread that could still wake it, and it
    /// waits for this one in another way (for a lock this one holds).
    closes: bool,
}

/// Marks each `blocked on` line and returns the wait-for relation in words,
/// naming a cycle if there is one and any lost wake-up.
pub(super) fn explain(trace: &mut [Event]) -> Option<String> {
    let held = holders(trace);
    let blocked: Vec<usize> = (0..trace.len()).filter(|&i| trace[i].op == Op::Blocked).collect();
    if blocked.is_empty() {
        return None;
    }
    let stuck: Vec<String> = blocked.iter().map(|&i| trace[i].thread.clone()).collect();
    let mut waiters = Vec::new();
    for &i in &blocked {
        let e = &trace[i];
        let target = e.target.clone();
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
        let op = blocked_op(e);
        let (on, what) = match op {
            Some(Op::Lock | Op::ReadLock) | None => {
                let owners: Vec<String> = held
                    .iter()
                    .filter(|(t, _)| *t == target)
                    .map(|(_, th)| th.clone())
                    .collect();
                let by = if owners.is_empty() {
                    String::new()
                } else {
                    format!(", held by {}", owners.join(", "))
                };
                let what = match own_lock(trace, i) {
                    Some(l) if owners.iter().all(|o| *o == e.thread) && !owners.is_empty() => format!(
                        "{} waits for {target}, which it holds itself ({} at step {}, still held)",
                        e.thread,
                        lock_mode(trace[l].op),
                        trace[l].step
                    ),
                    _ => format!("{} {holds}waits for {target}{by}", e.thread),
                };
                (owners, what)
            }
            Some(Op::Join) => (
                vec![target.clone()],
                format!("{} {holds}waits for {target} to finish", e.thread),
            ),
            Some(Op::Acquire) => {
                // The last permit's taker, if it never gave one back: in a
                // semaphore used as a lock, the thread to wait for.
                match last_taker(trace, i) {
                    Some(t) => {
                        let what = format!(
                            "{} {holds}waits for a permit of {target}; {} took the last one at step {} and has not \
                             released it",
                            e.thread, trace[t].thread, trace[t].step
                        );
                        (vec![trace[t].thread.clone()], what)
                    }
                    None => (
                        Vec::new(),
                        format!("{} {holds}waits for a permit of {target}", e.thread),
                    ),
                }
            }
            Some(op) => {
                let verb = match op {
                    Op::Wait => "to be notified on",
                    Op::Recv => "for a message on",
                    Op::Send => "for room on",
                    Op::Acquire => "for a permit of",
                    Op::Arrive => "for the others to arrive at",
                    _ => "on",
                };
                (Vec::new(), format!("{} {holds}waits {verb} {target}", e.thread))
            }
        };
        waiters.push(Waiter {
            index: i,
            thread: e.thread.clone(),
            on,
            what,
            for_joiner: false,
            mutual: false,
            closes: false,
        });
    }
    // A thread waiting for a notify, a message or a permit that nobody
    // stuck has given yet, while a thread that could still give it waits to
    // join this one: each waits for the other (a receiver whose last sender
    // is held by the thread joining it).
    // (Only when no other stuck thread, free of joins, could do it.)
    let free_of_joins = |w: &Waiter| {
        waiters.iter().any(|o| {
            o.thread != w.thread
                && blocked_op(&trace[o.index]) != Some(Op::Join)
                && !(trace[o.index].target == trace[w.index].target
                    && blocked_op(&trace[o.index]) == blocked_op(&trace[w.index]))
        })
    };
    let joined_by: Vec<(usize, Vec<String>)> = waiters
        .iter()
        .enumerate()
        .filter(|(_, w)| {
            w.on.is_empty() && finished_without_arriving(trace, w.index, &stuck).is_empty() && !free_of_joins(w)
        })
        .filter(|(_, w)| {
            // Nobody stuck has given it (a joiner that only set the state up
            // still counts: an initialiser that joins the thread waiting
            // for its value).
            let target = &trace[w.index].target;
            let gives = giving(blocked_op(&trace[w.index]));
            !trace.iter().any(|e| {
                e.thread != w.thread
                    && &e.target == target
                    && stuck.contains(&e.thread)
                    && gives.is_none_or(|g| e.op == g)
            })
        })
        .map(|(k, w)| {
            let joiners = waiters
                .iter()
                .filter(|o| blocked_op(&trace[o.index]) == Some(Op::Join) && trace[o.index].target == w.thread)
                .filter(|o| could_still_give(trace, &o.thread, w.index))
                .map(|o| o.thread.clone())
                .collect();
            (k, joiners)
        })
        .collect();
    for (k, joiners) in joined_by {
        if !joiners.is_empty() {
            waiters[k].on = joiners;
            waiters[k].for_joiner = true;
        }
    }
    // Two threads each waiting for a permit, a message, room or an arrival
    // that only the other, stuck too, could still give (a rendezvous where
    // both wait first): a cycle. (A condition variable's waker is too often
    // a third party to say so.)
    let counterpart = |w: &Waiter| -> Option<String> {
        if !w.on.is_empty()
            || !matches!(
                blocked_op(&trace[w.index]),
                Some(Op::Acquire | Op::Recv | Op::Send | Op::Arrive)
            )
        {
            return None;
        }
        // (Another thread waiting for the same thing, two senders on one
        // channel, cannot give it.)
        let mut free = waiters.iter().filter(|o| {
            o.thread != w.thread
                && blocked_op(&trace[o.index]) != Some(Op::Join)
                && !(trace[o.index].target == trace[w.index].target
                    && blocked_op(&trace[o.index]) == blocked_op(&trace[w.index]))
        });
        match (free.next(), free.next()) {
            (Some(o), None) => Some(o.thread.clone()),
            _ => None,
        }
    };
    let pairs: Vec<(usize, String)> = waiters
        .iter()
        .enumerate()
        .filter_map(|(k, w)| counterpart(w).map(|o| (k, o)))
        .collect();
    for (k, other) in &pairs {
        let mutual = pairs
            .iter()
            .any(|(j, o)| waiters[*j].thread == *other && *o == waiters[*k].thread);
        if mutual {
            waiters[*k].on = vec![other.clone()];
            waiters[*k].mutual = true;
        } else if waiters
            .iter()
            .any(|o| o.thread == *other && o.on.contains(&waiters[*k].thread))
        {
            // The one thread that could still give it waits for this one
            // (for a lock it holds, say): a cycle all the same.
            waiters[*k].on = vec![other.clone()];
            waiters[*k].closes = true;
        }
    }
    let cycle = find_cycle(&waiters);
    let mut parts: Vec<String> = waiters.iter().map(|w| w.what.clone()).collect();
    for w in &waiters {
        if w.on.is_empty() {
            // Who could wake it: the other stuck threads that have used what
            // it waits on (notified the condvar, released the semaphore, sent
            // on the channel); failing those, the ones that could still get
            // to it: not waiting to join another thread, unless it is this
            // one (a thread that joins the thread it should wake: a cycle).
            let target = trace[w.index].target.clone();
            // What gives what it waits for: a release, a notify, a send (or
            // a receive, for room), an arrival.
            let gives = giving(blocked_op(&trace[w.index]));
            let used: Vec<&str> = stuck
                .iter()
                .filter(|t| {
                    **t != w.thread
                        && trace
                            .iter()
                            .any(|e| e.thread == **t && e.target == target && gives.is_none_or(|g| e.op == g))
                })
                .map(String::as_str)
                .collect();
            // The last time another thread gave it, if that was before the
            // thread's last step (it began to wait after it).
            let began = trace[..w.index]
                .iter()
                .rposition(|e| e.thread == w.thread && e.op != Op::Blocked);
            let given_before = gives.and_then(|g| {
                trace[..w.index]
                    .iter()
                    .rposition(|e| e.target == target && e.op == g && e.thread != w.thread)
                    .filter(|_| began.is_some())
            });
            let nobody_gave = gives.is_some_and(|g| {
                !trace
                    .iter()
                    .any(|e| e.target == target && e.op == g && e.thread != w.thread)
            });
            let others: Vec<&str> = if used.is_empty() {
                waiters
                    .iter()
                    .filter(|o| o.thread != w.thread)
                    // Another waiter for the same thing cannot give it.
                    .filter(|o| {
                        !(trace[o.index].target == target && blocked_op(&trace[o.index]) == blocked_op(&trace[w.index]))
                    })
                    .filter(|o| {
                        blocked_op(&trace[o.index]) != Some(Op::Join)
                            || (trace[o.index].target == w.thread && could_still_give(trace, &o.thread, w.index))
                    })
                    .map(|o| o.thread.as_str())
                    .collect()
            } else {
                used
            };
            // Threads that have finished (joined) without giving it.
            let finished: Vec<&str> = trace
                .iter()
                .filter(|e| e.op == Op::Join)
                .filter_map(|e| e.value.as_deref())
                .filter(|t| *t != w.thread && !stuck.iter().any(|s| s == t))
                .collect();
            let gone = finished_without_arriving(trace, w.index, &stuck);
            let text = if blocked_op(&trace[w.index]) == Some(Op::Arrive) && !gone.is_empty() {
                format!(
                    "waits for the others to arrive at {target}, but {} finished without arriving as often as \
                     this thread",
                    gone.join(", ")
                )
            } else if let Some(g) = given_before.filter(|_| others.is_empty()) {
                format!(
                    "nothing is left to wake it: {}'s {} of step {} was the last, and did not wake this thread; no \
                     thread still running has used {target} since",
                    trace[g].thread,
                    trace[g].op.word(),
                    trace[g].step
                )
            } else if others.is_empty() && !finished.is_empty() {
                format!(
                    "nothing is left to wake it: no thread still running has used {target}, and {} finished without \
                     waking it",
                    finished.join(", ")
                )
            } else if others.is_empty() {
                let stray = (blocked_op(&trace[w.index]) == Some(Op::Wait))
                    .then(|| stray_notify(trace, &target))
                    .flatten();
                match stray {
                    Some(n) => {
                        let waits = trace[..w.index]
                            .iter()
                            .rposition(|e| e.thread == w.thread && e.op == Op::Wait)
                            .unwrap_or(w.index);
                        let text = format!(
                            "notifies {}, on which no thread ever waits: {} waits on {target} (step {}), which \
                             nothing notifies",
                            trace[n].target, w.thread, trace[waits].step
                        );
                        set_mark(&mut trace[n], MarkKind::LostWakeup, text);
                        format!(
                            "nothing is left to wake it: no other thread that could still run has used {target}; \
                             {}'s notify of step {} went to {}, on which no thread waits",
                            trace[n].thread, trace[n].step, trace[n].target
                        )
                    }
                    None => {
                        format!("nothing is left to wake it: no other thread that could still run has used {target}")
                    }
                }
            } else if nobody_gave {
                // Nobody gave it yet: say so, and who else is stuck, without
                // guessing which of them would have.
                let given = match gives {
                    Some(Op::Release) => "released",
                    Some(Op::Notify) => "notified",
                    Some(Op::Send) => "sent on",
                    Some(Op::Recv) => "received from",
                    _ => "arrived at",
                };
                format!(
                    "no thread has {given} {target} in this execution, and the others are blocked too ({})",
                    others.join(", ")
                )
            } else if let Some(j) = joiners_only(trace, &others, &w.thread) {
                // Those that gave it before now wait for this thread to end:
                // nothing says they would give it again.
                let gave = match gives {
                    Some(Op::Release) => "released",
                    Some(Op::Notify) => "notified",
                    Some(Op::Send) => "sent on",
                    Some(Op::Recv) => "received from",
                    _ => "used",
                };
                format!(
                    "{} {gave} {target} before (step {}) and now {} for this thread to finish: nothing is left to wake \
                     it",
                    others.join(", "),
                    trace[j].step,
                    if others.len() == 1 { "waits" } else { "wait" }
                )
            } else {
                format!("the threads that could wake it ({}) are blocked too", others.join(", "))
            };
            set_mark(&mut trace[w.index], MarkKind::Deadlock, text);
        } else {
            let in_cycle = cycle.as_ref().is_some_and(|c| c.contains(&w.thread));
            // A join outside a cycle (main waiting for a thread that is
            // stuck) is a consequence, not a cause: the summary says what it
            // waits for, the line is not marked.
            if in_cycle || blocked_op(&trace[w.index]) != Some(Op::Join) {
                let give = |op: Option<Op>| match op {
                    Some(Op::Recv) => "a message",
                    Some(Op::Acquire) => "a permit",
                    Some(Op::Send) => "room (a receiver)",
                    Some(Op::Arrive) => "an arrival",
                    _ => "a notify",
                };
                let text = if w.closes {
                    format!(
                        "waits for {} only {} could still give, and {} waits for this thread (a cycle)",
                        give(blocked_op(&trace[w.index])),
                        w.on.join(", "),
                        w.on.join(", ")
                    )
                } else if w.mutual {
                    format!(
                        "waits for {} only {} could still give, and {} waits for this thread likewise (a cycle)",
                        give(blocked_op(&trace[w.index])),
                        w.on.join(", "),
                        w.on.join(", ")
                    )
                } else if w.for_joiner {
                    let give = match blocked_op(&trace[w.index]) {
                        Some(Op::Recv) => "a message only {t} could still send (or end, by dropping its sender)",
                        Some(Op::Acquire) => "a permit only {t} could still release",
                        Some(Op::Send) => "room only {t} could still make",
                        _ => "a notify only {t} could still give",
                    }
                    .replace("{t}", &w.on.join(", "));
                    format!(
                        "waits for {give}, while {} waits for this thread to finish{}",
                        w.on.join(", "),
                        if in_cycle { " (a cycle)" } else { "" }
                    )
                } else if blocked_op(&trace[w.index]) == Some(Op::Acquire) {
                    format!(
                        "waits for a permit {} took and has not released{}",
                        w.on.join(", "),
                        if in_cycle { " (a cycle)" } else { "" }
                    )
                } else if let Some(l) = own_lock(trace, w.index).filter(|_| w.on == [w.thread.clone()]) {
                    format!(
                        "waits for {} {}, which this thread holds itself: its {} of step {} is still held (a guard \
                         still alive), so it waits for itself",
                        match blocked_op(&trace[w.index]) {
                            Some(Op::ReadLock) => "a read lock of",
                            _ => "the lock",
                        },
                        trace[w.index].target,
                        lock_mode(trace[l].op),
                        trace[l].step
                    )
                } else {
                    format!(
                        "waits for {}{}",
                        w.on.join(", "),
                        if in_cycle { " (a cycle)" } else { "" }
                    )
                };
                set_mark(&mut trace[w.index], MarkKind::Deadlock, text);
            }
        }
    }
    parts.extend(super::wakeups::mark(trace));
    let mut text = parts.join("; ");
    if let Some(cycle) = cycle {
        let mut names = cycle.clone();
        names.push(cycle[0].clone());
        if cycle.len() == 1 {
            text.push_str(&format!(": {} waits for itself, so it never goes on", cycle[0]));
        } else {
            text.push_str(&format!(": a cycle ({}), so none can go on", names.join(" → ")));
        }
    }
    Some(text)
}

/// A cycle in the waits-for-a-specific-thread relation, as thread names.
fn find_cycle(waiters: &[Waiter]) -> Option<Vec<String>> {
    for start in waiters {
        let mut path = vec![start.thread.clone()];
        let mut at = start;
        for _ in 0..=waiters.len() {
            let Some(next) = at.on.iter().find_map(|t| waiters.iter().find(|w| w.thread == *t)) else {
                break;
            };
            if next.thread == start.thread {
                return Some(path);
            }
            if path.contains(&next.thread) {
                break;
            }
            path.push(next.thread.clone());
            at = next;
        }
    }
    None
}
