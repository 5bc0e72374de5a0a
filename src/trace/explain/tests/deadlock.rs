//! The wait-for graph and lost wake-ups, on hand-written traces.

use super::*;

fn blocked(thread: &str, target: &str, op: Op) -> Event {
    Event {
        value: Some(crate::trace::record::waits_for(op).to_owned()),
        ..ev(thread, Op::Blocked, target)
    }
}

#[test]
fn a_two_lock_deadlock_is_named_as_a_cycle() {
    let mut trace = numbered(vec![
        ev("main", Op::Lock, "A"),
        ev("bob", Op::Lock, "B"),
        blocked("main", "B", Op::Lock),
        blocked("bob", "A", Op::Lock),
    ]);
    let text = explain(&mut trace, Why::Stuck).expect("blocked threads");
    assert_eq!(
        text,
        "main holds A and waits for B, held by bob; bob holds B and waits for A, held by main: a cycle (main → bob → \
         main), so none can go on"
    );
    assert_eq!(trace[2].mark_kind, Some(MarkKind::Deadlock));
}

#[test]
fn a_notify_before_the_wait_is_a_lost_wakeup() {
    let mut trace = numbered(vec![
        ev("producer", Op::Notify, "cv"),
        ev("consumer", Op::Lock, "m"),
        ev("consumer", Op::Wait, "m"),
        blocked("consumer", "cv", Op::Wait),
    ]);
    let text = explain(&mut trace, Why::Stuck).expect("a blocked thread");
    assert!(text.contains("lost wake-up"), "{text}");
    assert_eq!(trace[2].mark_kind, Some(MarkKind::LostWakeup));
    assert_eq!(trace[3].mark_kind, Some(MarkKind::Deadlock));
    assert_eq!(trace[0].mark_kind, Some(MarkKind::LostWakeup));
}

#[test]
fn a_join_outside_a_cycle_is_not_marked() {
    let mut trace = numbered(vec![
        ev("alice", Op::Lock, "A"),
        ev("bob", Op::Lock, "B"),
        blocked("main", "alice", Op::Join),
        blocked("alice", "B", Op::Lock),
        blocked("bob", "A", Op::Lock),
    ]);
    let text = explain(&mut trace, Why::Stuck).expect("blocked threads");
    assert!(text.contains("main waits for alice to finish"), "{text}");
    assert_eq!(trace[2].mark, None);
    assert_eq!(trace[3].mark_kind, Some(MarkKind::Deadlock));
}

#[test]
fn a_notify_that_woke_another_waiter_is_not_a_lost_wakeup() {
    let wait = |thread: &str| Event {
        value: Some("on cv".into()),
        ..ev(thread, Op::Wait, "m")
    };
    let mut trace = numbered(vec![
        wait("c2"),
        ev("producer", Op::Notify, "cv"),
        ev("c2", Op::Lock, "m"),
        wait("c1"),
        blocked("c1", "cv", Op::Wait),
        blocked("c2", "cv", Op::Wait),
    ]);
    let text = explain(&mut trace, Why::Stuck).expect("blocked threads");
    assert!(!text.contains("lost wake-up"), "{text}");
    assert!(
        trace.iter().all(|e| e.mark_kind != Some(MarkKind::LostWakeup)),
        "{:?}",
        kinds(&trace)
    );
}

#[test]
fn a_notify_recorded_after_the_wait_that_woke_nobody_is_a_lost_wakeup() {
    // The `wait` line is recorded before the model registers the waiter: a
    // notify can come in between, and the waiter then sleeps for ever.
    let wait = Event {
        value: Some("on cv".into()),
        ..ev("bob", Op::Wait, "m")
    };
    let mut notify = ev("alice", Op::Notify, "cv");
    notify.value = Some("(one)".into());
    let mut trace = numbered(vec![
        ev("bob", Op::Lock, "m"),
        wait,
        store("alice", "ready", "true"),
        notify,
        blocked("bob", "cv", Op::Wait),
    ]);
    let text = explain(&mut trace, Why::Stuck).expect("a blocked thread");
    assert!(
        text.contains("before it slept: alice notified without holding m"),
        "{text}"
    );
    assert_eq!(trace[1].mark_kind, Some(MarkKind::LostWakeup));
    assert_eq!(trace[3].mark_kind, Some(MarkKind::LostWakeup));
}

#[test]
fn a_notify_one_that_wakes_a_waiter_who_waits_again_strands_the_other() {
    let wait = |thread: &str| Event {
        value: Some("on c".into()),
        ..ev(thread, Op::Wait, "m")
    };
    let woken = Event {
        value: Some("-> 50 (woken)".into()),
        ..ev("ta", Op::Lock, "m")
    };
    let mut trace = numbered(vec![
        wait("ta"),
        wait("tb"),
        ev("main", Op::Notify, "c"),
        woken,
        wait("ta"),
        blocked("tb", "c", Op::Wait),
        blocked("ta", "c", Op::Wait),
    ]);
    explain(&mut trace, Why::Stuck).expect("blocked threads");
    assert_eq!(trace[2].mark_kind, Some(MarkKind::LostWakeup), "{:?}", kinds(&trace));
    let text = trace[2].mark.as_deref().unwrap();
    assert!(
        text.contains("wakes one waiter, ta") && text.contains("tb, waiting on c too, is never woken"),
        "{text}"
    );
}

#[test]
fn a_semaphore_wait_names_the_thread_that_took_the_last_permit() {
    let mut trace = numbered(vec![
        ev("a", Op::Acquire, "mutex"),
        blocked("a", "barrier", Op::Acquire),
        blocked("b", "mutex", Op::Acquire),
    ]);
    let text = explain(&mut trace, Why::Stuck).expect("blocked threads");
    assert!(
        text.contains("a took the last one at step 1 and has not released it"),
        "{text}"
    );
    // a, holding mutex, waits for the permit only b could still give:
    // with b waiting for a, that is a cycle.
    assert_eq!(
        trace[2].mark.as_deref(),
        Some("waits for a permit a took and has not released (a cycle)")
    );
    // Given back, the permit is nobody's to wait for.
    let mut trace = numbered(vec![
        ev("a", Op::Acquire, "mutex"),
        ev("a", Op::Release, "mutex"),
        blocked("b", "mutex", Op::Acquire),
    ]);
    let text = explain(&mut trace, Why::Stuck).expect("a blocked thread");
    assert!(!text.contains("took the last one"), "{text}");
}

#[test]
fn a_wait_on_a_check_made_under_an_earlier_lock_acts_on_a_stale_check() {
    // The worker looks (empty), unlocks, main pushes 7 and notifies, the
    // worker locks again (finds [7]) and waits without looking.
    let lock = |thread: &str, found: &str| Event {
        read: Some(found.into()),
        value: Some(format!("-> {found}")),
        ..ev(thread, Op::Lock, "jobs")
    };
    let section = |thread: &str, op: Op, read: Option<&str>, wrote: Option<&str>| Event {
        read: read.map(Into::into),
        wrote: wrote.map(Into::into),
        ..ev(thread, op, "jobs")
    };
    let trace = |relooked: Option<&str>| {
        numbered(vec![
            lock("worker", "[]"),
            section("worker", Op::Unlock, Some("[]"), None),
            lock("main", "[]"),
            section("main", Op::Unlock, None, Some("[7]")),
            ev("main", Op::Notify, "ready"),
            lock("worker", "[7]"),
            section("worker", Op::Wait, relooked, None),
            blocked("worker", "ready", Op::Wait),
        ])
    };
    let mut stale = trace(None);
    explain(&mut stale, Why::Stuck);
    // The wait carries the lost wake-up; the lock that found [7] the stale check.
    assert_eq!(stale[6].mark_kind, Some(MarkKind::LostWakeup));
    assert_eq!(stale[5].mark_kind, Some(MarkKind::StaleCheck));
    let text = stale[5].mark.as_deref().unwrap();
    assert!(text.contains("check at step 1 (jobs was [])"), "{text}");
    assert!(text.contains("main changed jobs at step 4"), "{text}");
    // A section that looked again (and found a reason to wait) is no such thing.
    let mut looked = trace(Some("[7]"));
    explain(&mut looked, Why::Stuck);
    assert_ne!(looked[5].mark_kind, Some(MarkKind::StaleCheck));
}

#[test]
fn a_thread_woken_by_a_permit_that_acts_after_a_newcomer_changed_the_value_acts_on_a_stale_wakeup() {
    let section = |thread: &str, found: &str, left: &str| {
        vec![
            Event {
                read: Some(found.into()),
                ..ev(thread, Op::Lock, "bar")
            },
            Event {
                read: Some(found.into()),
                wrote: Some(left.into()),
                ..ev(thread, Op::Unlock, "bar")
            },
        ]
    };
    let permit = |thread: &str, op: Op| Event {
        value: Some("(0 left)".into()),
        ..ev(thread, op, "block")
    };
    let trace = |newcomer: bool| {
        let mut t = section("bob", "full", "full, bob waits");
        t.push(permit("alice", Op::Release));
        if newcomer {
            t.extend(section("carol", "free", "full"));
        }
        t.push(permit("bob", Op::Acquire));
        t.extend(section("bob", if newcomer { "full" } else { "free" }, "over-full"));
        numbered(t)
    };
    let mut stale = trace(true);
    explain(&mut stale, Why::Wrong);
    let end = stale.len() - 1;
    assert_eq!(stale[end].mark_kind, Some(MarkKind::StaleCheck));
    let text = stale[end].mark.as_deref().unwrap();
    assert!(text.contains("carol changed bar at step 5"), "{text}");
    // Nobody came between the wake-up and the lock: no such mark.
    let mut alone = trace(false);
    explain(&mut alone, Why::Wrong);
    assert!(alone
        .iter()
        .all(|e| !e.mark.as_deref().is_some_and(|m| m.contains("wake-up"))));
}

#[test]
fn a_wakeup_by_a_notify_for_a_write_the_waiter_had_already_seen_is_stale() {
    let mut wait = ev("rx", Op::Wait, "m");
    wait.value = Some("on cv".into());
    let woken = Event {
        value: Some("-> true (woken)".into()),
        read: Some("true".into()),
        ..ev("rx", Op::Lock, "m")
    };
    let trace = |seen_first: bool| {
        let mut t = vec![store("tx", "pos", "1")];
        if seen_first {
            t.push(load("rx", "pos", "1"));
        }
        t.push(ev("rx", Op::Lock, "m"));
        t.push(wait.clone());
        t.push(ev("tx", Op::Notify, "cv"));
        t.push(woken.clone());
        numbered(t)
    };
    let mut stale = trace(true);
    explain(&mut stale, Why::Wrong);
    let w = stale.len() - 1;
    assert_eq!(stale[w].mark_kind, Some(MarkKind::StaleCheck), "{:?}", kinds(&stale));
    // A notify that announced something the waiter had not seen is news.
    let mut news = trace(false);
    explain(&mut news, Why::Wrong);
    assert_eq!(news[news.len() - 1].mark_kind, None);
}

#[test]
fn a_send_only_a_thread_waiting_for_the_senders_lock_could_take_is_a_cycle() {
    // g1 holds m and sends on a rendezvous channel; g2, the one thread that
    // could receive, waits for m.
    let mut trace = numbered(vec![
        ev("g1", Op::Lock, "m"),
        blocked("g1", "ch", Op::Send),
        blocked("g2", "m", Op::Lock),
    ]);
    let text = explain(&mut trace, Why::Stuck).expect("blocked threads");
    assert!(text.contains("a cycle (g1 → g2 → g1)"), "{text}");
    assert_eq!(
        trace[1].mark.as_deref(),
        Some("waits for room (a receiver) only g2 could still give, and g2 waits for this thread (a cycle)")
    );
}

#[test]
fn a_notify_whose_news_the_waiter_took_itself_before_waiting_again_is_not_lost() {
    // The producer stores an item and notifies before the consumer looked;
    // the consumer takes the item without waiting, then waits for the next.
    let mut wait = ev("consumer", Op::Wait, "m");
    wait.value = Some("on cv".into());
    let trace = |took: bool| {
        let mut t = vec![store("producer", "count", "1"), ev("producer", Op::Notify, "cv")];
        if took {
            t.push(load("consumer", "count", "1"));
            t.push(store("consumer", "count", "0"));
        }
        t.push(ev("consumer", Op::Lock, "m"));
        t.push(wait.clone());
        t.push(blocked("consumer", "cv", Op::Wait));
        numbered(t)
    };
    let mut took = trace(true);
    explain(&mut took, Why::Stuck);
    assert!(
        took.iter().all(|e| e.mark_kind != Some(MarkKind::LostWakeup)),
        "{:?}",
        kinds(&took)
    );
    let mut missed = trace(false);
    explain(&mut missed, Why::Stuck);
    assert_eq!(missed[1].mark_kind, Some(MarkKind::LostWakeup));
}

#[test]
fn a_wait_on_a_flag_changed_before_the_sleep_with_no_notify_after_is_a_stale_check() {
    // worker: lock data; if !flag { register; wait }; main sets the flag
    // without the lock, finds nobody registered, notifies nobody.
    let mut trace = numbered(vec![
        ev("worker", Op::Lock, "data"),
        load("worker", "flag", "false"),
        store("main", "flag", "true"),
        Event {
            value: Some("on cv".into()),
            ..ev("worker", Op::Wait, "data")
        },
        blocked("worker", "cv", Op::Wait),
    ]);
    explain(&mut trace, Why::Stuck);
    assert_eq!(trace[3].mark_kind, Some(MarkKind::StaleCheck));
    let text = trace[3].mark.as_deref().unwrap();
    assert!(
        text.starts_with("waits on the check at step 2 (flag was false), but main set flag to true at step 3"),
        "{text}"
    );
}

#[test]
fn a_wait_whose_change_is_notified_after_is_no_stale_check() {
    let mut trace = numbered(vec![
        ev("worker", Op::Lock, "data"),
        load("worker", "flag", "false"),
        store("main", "flag", "true"),
        Event {
            value: Some("on cv".into()),
            ..ev("worker", Op::Wait, "data")
        },
        ev("main", Op::Notify, "cv"),
    ]);
    explain(&mut trace, Why::Wrong);
    assert!(trace[3].mark_kind != Some(MarkKind::StaleCheck), "{:?}", trace[3].mark);
}

#[test]
fn a_notify_of_a_condvar_nobody_waits_on_is_named_for_the_waiter_on_another() {
    let mut trace = numbered(vec![
        ev("t1", Op::Lock, "r1"),
        Event {
            value: Some("on r1".into()),
            ..ev("t1", Op::Wait, "r1")
        },
        ev("t2", Op::Lock, "r2"),
        ev("t2", Op::Notify, "r2"),
        ev("t2", Op::Unlock, "r2"),
        blocked("t1", "r1", Op::Wait),
    ]);
    explain(&mut trace, Why::Stuck);
    assert_eq!(trace[3].mark_kind, Some(MarkKind::LostWakeup));
    let text = trace[3].mark.as_deref().unwrap();
    assert!(
        text.starts_with("notifies r2, on which no thread ever waits: t1 waits on r1"),
        "{text}"
    );
    let text = trace[5].mark.as_deref().unwrap();
    assert!(
        text.contains("t2's notify of step 4 went to r2, on which no thread waits"),
        "{text}"
    );
}

#[test]
fn a_write_lock_asked_under_ones_own_read_lock_waits_for_itself() {
    let mut trace = numbered(vec![
        ev("worker", Op::ReadLock, "leader"),
        blocked("worker", "leader", Op::Lock),
    ]);
    let text = explain(&mut trace, Why::Stuck).expect("a blocked thread");
    assert!(text.ends_with("worker waits for itself, so it never goes on"), "{text}");
    let mark = trace[1].mark.as_deref().unwrap();
    assert!(mark.contains("its read lock of step 1 is still held"), "{mark}");
}

#[test]
fn a_notify_one_that_woke_one_waiter_while_a_later_change_notified_no_one_strands_the_other() {
    let wait = |t: &str| Event {
        value: Some("on cv".into()),
        ..ev(t, Op::Wait, "permits")
    };
    let mut trace = numbered(vec![
        ev("a", Op::Lock, "permits"),
        wait("a"),
        ev("s", Op::Lock, "permits"),
        wait("s"),
        ev("main", Op::Lock, "permits"),
        ev("main", Op::Notify, "cv"),
        Event {
            wrote: Some("1".into()),
            ..ev("main", Op::Unlock, "permits")
        },
        ev("p", Op::Lock, "permits"),
        Event {
            wrote: Some("2".into()),
            ..ev("p", Op::Unlock, "permits")
        },
        Event {
            value: Some("(woken)".into()),
            ..ev("a", Op::Lock, "permits")
        },
        Event {
            wrote: Some("1".into()),
            ..ev("a", Op::Unlock, "permits")
        },
        blocked("s", "cv", Op::Wait),
        blocked("main", "s", Op::Join),
    ]);
    explain(&mut trace, Why::Stuck);
    let text = trace[5].mark.as_deref().unwrap_or_default();
    assert!(
        text.starts_with("wakes one waiter, a; s, waiting on cv too, is never woken: p's change of permits at step 9"),
        "{text}"
    );
    let text = trace[11].mark.as_deref().unwrap_or_default();
    assert!(!text.contains("are blocked too"), "{text}");
}

#[test]
fn a_reset_that_hides_the_value_a_spinner_waits_for_is_marked() {
    // A counting barrier: the last arrival sees 0 and resets to 2 before
    // the first, spinning on count > 0, ever reads the 0.
    let mut trace = numbered(vec![
        rmw("alice", Op::FetchSub, "count", "2", "1"),
        load("alice", "count", "1"),
        rmw("bob", Op::FetchSub, "count", "1", "0"),
        load("bob", "count", "0"),
        store("bob", "count", "2"),
        load("alice", "count", "2"),
        load("alice", "count", "2"),
        load("alice", "count", "2"),
    ]);
    explain(&mut trace, Why::Stuck);
    assert_eq!(trace[4].mark_kind, Some(MarkKind::LostWakeup), "{:?}", kinds(&trace));
    let text = trace[4].mark.as_deref().unwrap();
    assert!(
        text.starts_with("sets count to 2 before alice, spinning on count"),
        "{text}"
    );
    assert!(text.contains("ever read the 0 of step 3"), "{text}");
    // The spin itself carries no mark of this rule.
    assert!(trace[6].mark_kind != Some(MarkKind::LostWakeup));
}
