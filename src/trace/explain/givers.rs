//! Who could still give a blocked thread what it waits for: who holds
//! each lock, the thread
//! that took a semaphore's last permit, the threads that finished without
//! arriving at a barrier, a joiner that used what it waits on, and which
//! operation gives what (a release for an acquire, a notify for a wait, a
//! send for a receive), a lock the waiter holds itself, a notify that went
//! to a condvar nobody waits on, and joiners that gave before and now only
//! wait. The wait-for graph ([`super::deadlock`]) is built from these.

use crate::trace::{blocked_op, Event, Op};

/// For the thread of line `i`, blocked waiting for a permit: the last
/// `acquire` of that semaphore by another thread, with no `release` of it
/// after (the permit it took is still out).
pub(super) fn last_taker(trace: &[Event], i: usize) -> Option<usize> {
    let e = &trace[i];
    let t = trace[..i]
        .iter()
        .rposition(|x| x.op == Op::Acquire && x.target == e.target && x.thread != e.thread)?;
    let released = trace[t + 1..i]
        .iter()
        .any(|x| x.op == Op::Release && x.target == e.target);
    (!released).then_some(t)
}

/// For the thread of line `i`, blocked at a barrier: the threads that
/// finished (are not stuck) having arrived there fewer times than it did.
pub(super) fn finished_without_arriving(trace: &[Event], i: usize, stuck: &[String]) -> Vec<String> {
    if blocked_op(&trace[i]) != Some(Op::Arrive) {
        return Vec::new();
    }
    let target = &trace[i].target;
    let arrivals = |t: &str| {
        trace
            .iter()
            .filter(|e| {
                e.thread == t
                    && e.op == Op::Arrive
                    && e.target == *target
                    && !e.value.as_deref().is_some_and(|v| v.contains("released"))
            })
            .count()
    };
    let mine = arrivals(&trace[i].thread);
    let mut gone: Vec<String> = Vec::new();
    for e in trace {
        let t = &e.thread;
        if !gone.contains(t) && !stuck.contains(t) && (1..mine).contains(&arrivals(t)) {
            gone.push(t.clone());
        }
    }
    gone
}

/// Whether `joiner`, waiting to join the thread blocked at `blocked`, could
/// still give what that thread waits for: a message or room on a channel
/// (it may hold a sender, and ends it by finishing), or a permit or notify
/// of an object it has used before. A thread that never touched the
/// semaphore or condition variable shows nothing that says it would.
pub(super) fn could_still_give(trace: &[Event], joiner: &str, blocked: usize) -> bool {
    matches!(blocked_op(&trace[blocked]), Some(Op::Recv | Op::Send))
        || trace[..blocked]
            .iter()
            .any(|e| e.thread == joiner && e.target == trace[blocked].target)
}

/// What gives a thread blocked by `op` what it waits for: a release, a
/// notify, a send (or a receive, for room), an arrival.
pub(super) fn giving(op: Option<Op>) -> Option<Op> {
    match op {
        Some(Op::Acquire) => Some(Op::Release),
        Some(Op::Wait) => Some(Op::Notify),
        Some(Op::Recv) => Some(Op::Send),
        Some(Op::Send) => Some(Op::Recv),
        Some(Op::Arrive) => Some(Op::Arrive),
        _ => None,
    }
}

/// Who holds each lock at the end of the trace: the last `lock` of it not
/// followed by an `unlock` (read locks count as held too).
pub(super) fn holders(trace: &[Event]) -> Vec<(String, String)> {
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

/// A notify of a condvar that no thread of the trace ever waits on, when a
/// thread waits for ever on `target`: the wake-up meant for it went to
/// another condvar (a notify on the wrong object).
pub(super) fn stray_notify(trace: &[Event], target: &str) -> Option<usize> {
    let waited_on = |cv: &str| {
        trace.iter().any(|e| {
            (e.op == Op::Wait && e.value.as_deref().and_then(|v| v.strip_prefix("on ")) == Some(cv))
                || (e.op == Op::Blocked && e.target == cv)
        })
    };
    trace
        .iter()
        .rposition(|e| e.op == Op::Notify && e.target != target && !waited_on(&e.target))
}

/// If every thread of `others` is blocked joining `thread`: the last step
/// at which one of them gave what `thread` waits for (any step of theirs on
/// the object it waits on).
pub(super) fn joiners_only(trace: &[Event], others: &[&str], thread: &str) -> Option<usize> {
    let all_join = others.iter().all(|o| {
        trace
            .iter()
            .rev()
            .find(|e| e.thread == *o)
            .is_some_and(|e| blocked_op(e) == Some(Op::Join) && e.target == thread)
    });
    if !all_join || others.is_empty() {
        return None;
    }
    let target = &trace.iter().rev().find(|e| e.thread == thread)?.target;
    trace
        .iter()
        .rposition(|e| others.contains(&e.thread.as_str()) && &e.target == target && e.op != Op::Blocked)
}

/// The blocked thread's own lock of what it waits for: its last `lock` or
/// `read lock` of that object, with no release since.
pub(super) fn own_lock(trace: &[Event], blocked: usize) -> Option<usize> {
    let e = &trace[blocked];
    let l = trace[..blocked]
        .iter()
        .rposition(|x| x.thread == e.thread && x.target == e.target && matches!(x.op, Op::Lock | Op::ReadLock))?;
    let released = trace[l + 1..blocked].iter().any(|x| {
        x.thread == e.thread && x.target == e.target && matches!(x.op, Op::Unlock | Op::ReadUnlock | Op::Wait)
    });
    (!released).then_some(l)
}

pub(super) fn lock_mode(op: Op) -> &'static str {
    if op == Op::ReadLock {
        "read lock"
    } else {
        "lock"
    }
}
