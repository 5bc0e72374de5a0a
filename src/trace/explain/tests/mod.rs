//! Each rule on a hand-written trace: what it marks, and what it must not.
//! Wait-for graphs and lost wake-ups are in `deadlock.rs`.

mod deadlock;

use super::*;

pub(super) fn ev(thread: &str, op: Op, target: &str) -> Event {
    Event {
        step: 0,
        thread: thread.into(),
        op,
        target: target.into(),
        value: None,
        mark: None,
        mark_kind: None,
        ordering: None,
        read: None,
        wrote: None,
    }
}

pub(super) fn load(thread: &str, target: &str, v: &str) -> Event {
    Event {
        read: Some(v.into()),
        ..ev(thread, Op::Load, target)
    }
}

pub(super) fn store(thread: &str, target: &str, v: &str) -> Event {
    Event {
        wrote: Some(v.into()),
        ..ev(thread, Op::Store, target)
    }
}

pub(super) fn rmw(thread: &str, op: Op, target: &str, read: &str, wrote: &str) -> Event {
    Event {
        read: Some(read.into()),
        wrote: Some(wrote.into()),
        ..ev(thread, op, target)
    }
}

pub(super) fn numbered(mut trace: Vec<Event>) -> Trace {
    for (i, e) in trace.iter_mut().enumerate() {
        e.step = i + 1;
    }
    trace
}

pub(super) fn kinds(trace: &Trace) -> Vec<(usize, MarkKind)> {
    trace.iter().filter_map(|e| e.mark_kind.map(|k| (e.step, k))).collect()
}

#[test]
fn a_store_computed_from_a_read_another_thread_overwrote_is_a_lost_update() {
    let mut trace = numbered(vec![
        load("alice", "counter", "0"),
        load("bob", "counter", "0"),
        store("alice", "counter", "1"),
        store("bob", "counter", "1"),
    ]);
    explain(&mut trace, Why::Wrong);
    assert_eq!(kinds(&trace), vec![(4, MarkKind::LostUpdate)]);
    assert!(trace[3]
        .mark
        .as_deref()
        .unwrap()
        .starts_with("overwrites step 3 (alice's update is lost)"));
}

#[test]
fn serialised_load_store_pairs_are_not_marked() {
    let mut trace = numbered(vec![
        load("alice", "counter", "0"),
        store("alice", "counter", "1"),
        load("bob", "counter", "1"),
        store("bob", "counter", "2"),
    ]);
    explain(&mut trace, Why::Wrong);
    assert!(kinds(&trace).is_empty());
}

#[test]
fn a_blind_write_is_never_marked_as_losing_anything() {
    // flag = true (after a check), ..., flag = false: the second is blind.
    let mut trace = numbered(vec![
        load("t1", "flag", "false"),
        store("t1", "flag", "true"),
        load("t2", "flag", "true"),
        store("t2", "flag", "false"),
        store("t1", "flag", "false"),
    ]);
    explain(&mut trace, Why::Wrong);
    assert!(trace[4].mark.is_none(), "{:?}", trace[4].mark);
}

#[test]
fn setting_a_flag_after_a_stale_check_is_an_act_on_a_stale_check() {
    let mut trace = numbered(vec![
        load("t1", "flag", "false"),
        load("t2", "flag", "false"),
        store("t2", "flag", "true"),
        store("t1", "flag", "true"),
    ]);
    explain(&mut trace, Why::Wrong);
    assert_eq!(kinds(&trace), vec![(4, MarkKind::StaleCheck)]);
}

#[test]
fn a_second_initialisation_acts_on_a_stale_check() {
    // alice checks, bob checks, bob initialises and sets ready, alice
    // initialises: hers is the second, on the check at step 1.
    let mut trace = numbered(vec![
        load("alice", "ready", "false"),
        load("bob", "ready", "false"),
        store("bob", "value", "42"),
        store("bob", "ready", "true"),
        store("alice", "value", "42"),
        store("alice", "ready", "true"),
    ]);
    explain(&mut trace, Why::Wrong);
    assert_eq!(trace[4].mark_kind, Some(MarkKind::StaleCheck), "{:?}", kinds(&trace));
    assert!(trace[2].mark.is_none());
}

#[test]
fn acting_second_on_a_check_both_made_is_an_act_on_a_stale_check() {
    // alice checks and initialises but has not set ready when bob checks.
    let mut trace = numbered(vec![
        load("alice", "ready", "false"),
        store("alice", "value", "42"),
        load("bob", "ready", "false"),
        store("bob", "value", "42"),
        store("bob", "ready", "true"),
        store("alice", "ready", "true"),
    ]);
    explain(&mut trace, Why::Wrong);
    assert_eq!(trace[3].mark_kind, Some(MarkKind::StaleCheck), "{:?}", kinds(&trace));
    assert!(trace[1].mark.is_none());
}

#[test]
fn a_read_modify_write_on_a_stale_check_is_marked_and_atomic_ones_alone_are_not() {
    let mut trace = numbered(vec![
        load("alice", "balance", "10"),
        rmw("bob", Op::FetchSub, "balance", "10", "0"),
        rmw("alice", Op::FetchSub, "balance", "0", "-10"),
    ]);
    explain(&mut trace, Why::Wrong);
    assert_eq!(kinds(&trace), vec![(3, MarkKind::StaleCheck)]);
    let mut atomic = numbered(vec![
        rmw("alice", Op::FetchAdd, "n", "0", "1"),
        rmw("bob", Op::FetchAdd, "n", "1", "2"),
    ]);
    explain(&mut atomic, Why::Wrong);
    assert!(kinds(&atomic).is_empty());
}

#[test]
fn a_compare_exchange_on_a_value_that_changed_and_changed_back_is_aba() {
    let mut trace = numbered(vec![
        load("t1", "head", "A"),
        rmw("t2", Op::Swap, "head", "A", "B"),
        rmw("t2", Op::Swap, "head", "B", "A"),
        rmw("t1", Op::CompareExchange, "head", "A", "C"),
    ]);
    explain(&mut trace, Why::Wrong);
    assert_eq!(kinds(&trace), vec![(4, MarkKind::Aba)]);
}

#[test]
fn a_read_back_that_sees_another_threads_write_is_an_atomicity_violation() {
    let mut trace = numbered(vec![
        load("t1", "a", "0"),
        store("t1", "a", "1"),
        load("t2", "a", "1"),
        store("t2", "a", "2"),
        load("t1", "a", "2"),
    ]);
    explain(&mut trace, Why::Wrong);
    assert_eq!(kinds(&trace), vec![(5, MarkKind::AtomicityViolation)]);
}

#[test]
fn a_snapshot_across_two_locks_that_another_thread_changed_between_is_torn() {
    let lock = |thread: &str, target: &str, v: &str| Event {
        read: Some(v.into()),
        ..ev(thread, Op::Lock, target)
    };
    let unlock = |thread: &str, target: &str, v: Option<&str>| Event {
        wrote: v.map(Into::into),
        ..ev(thread, Op::Unlock, target)
    };
    let mut trace = numbered(vec![
        lock("audit", "a", "100"),
        unlock("audit", "a", None),
        lock("move", "a", "100"),
        unlock("move", "a", Some("50")),
        lock("move", "b", "0"),
        unlock("move", "b", Some("50")),
        lock("audit", "b", "50"),
        unlock("audit", "b", None),
    ]);
    explain(&mut trace, Why::Wrong);
    assert_eq!(kinds(&trace), vec![(7, MarkKind::AtomicityViolation)]);
}

#[test]
fn a_write_under_a_second_lock_of_a_value_read_under_the_first_is_a_lost_update() {
    let lock = |thread: &str, v: &str| Event {
        read: Some(v.into()),
        ..ev(thread, Op::Lock, "m")
    };
    // `looked`: the section read the value it found.
    let unlock = |thread: &str, looked: Option<&str>, v: Option<&str>| Event {
        read: looked.map(Into::into),
        wrote: v.map(Into::into),
        ..ev(thread, Op::Unlock, "m")
    };
    let mut trace = numbered(vec![
        lock("t1", "0"),
        unlock("t1", Some("0"), None),
        lock("t2", "0"),
        unlock("t2", Some("0"), Some("1")),
        lock("t1", "1"),
        unlock("t1", None, Some("1")),
    ]);
    explain(&mut trace, Why::Wrong);
    assert_eq!(kinds(&trace), vec![(6, MarkKind::LostUpdate)]);
    // `*guard += 1` under the second lock (1 -> 2, the step t2 took) updated
    // what it found: t2's update is not lost, but t1 acted on its check.
    let mut trace = numbered(vec![
        lock("t1", "0"),
        unlock("t1", Some("0"), None),
        lock("t2", "0"),
        unlock("t2", Some("0"), Some("1")),
        lock("t1", "1"),
        unlock("t1", None, Some("2")),
    ]);
    explain(&mut trace, Why::Wrong);
    assert_eq!(kinds(&trace), vec![(6, MarkKind::StaleCheck)]);
    let text = trace[5].mark.as_deref().unwrap();
    assert!(
        text.contains("acts on the check at step 1 (m was 0, under an earlier lock)"),
        "{text}"
    );
}

#[test]
fn a_relaxed_flag_that_does_not_synchronise_is_blamed_for_the_stale_data() {
    let mut data = store("writer", "data", "42");
    data.ordering = Some("Relaxed".into());
    let mut flag = store("writer", "flag", "true");
    flag.ordering = Some("Release".into());
    let mut check = load("reader", "flag", "true");
    check.ordering = Some("Relaxed".into());
    let mut read = load("reader", "data", "0");
    read.ordering = Some("Relaxed".into());
    let mut trace = numbered(vec![store("main", "data", "0"), data, flag, check, read]);
    explain(&mut trace, Why::Wrong);
    assert_eq!(kinds(&trace), vec![(4, MarkKind::NoSync), (5, MarkKind::StaleRead)]);
    assert!(trace[3].mark.as_deref().unwrap().contains("Acquire on this load would"));
}

#[test]
fn unordered_cell_accesses_are_a_data_race_and_ordered_ones_are_not() {
    let mut trace = numbered(vec![
        ev("sender", Op::CellWrite, "data"),
        store("sender", "ready", "true"),
        load("reader", "ready", "true"),
        ev("reader", Op::CellRead, "data"),
    ]);
    trace[1].ordering = Some("Relaxed".into());
    trace[2].ordering = Some("Relaxed".into());
    let text = explain(&mut trace, Why::DataRace).expect("a race");
    assert!(
        text.ends_with("are not ordered by any synchronisation: a data race"),
        "{text}"
    );
    assert_eq!(trace[0].mark_kind, Some(MarkKind::DataRace));
    assert_eq!(trace[3].mark_kind, Some(MarkKind::DataRace));
    assert_eq!(trace[2].mark_kind, Some(MarkKind::NoSync));
    let mut synced = trace.clone();
    for e in &mut synced {
        e.mark = None;
        e.mark_kind = None;
    }
    synced[1].ordering = Some("Release".into());
    synced[2].ordering = Some("Acquire".into());
    explain(&mut synced, Why::Wrong);
    assert!(kinds(&synced).is_empty());
}

#[test]
fn a_lost_update_needs_one_preemption() {
    let spawn = |name: &str| Event {
        value: Some(name.into()),
        ..ev("main", Op::Spawn, "")
    };
    let join = |name: &str| Event {
        value: Some(name.into()),
        ..ev("main", Op::Join, "")
    };
    let trace = numbered(vec![
        spawn("alice"),
        spawn("bob"),
        load("alice", "counter", "0"),
        load("bob", "counter", "0"),
        store("bob", "counter", "1"),
        store("alice", "counter", "1"),
        join("alice"),
        join("bob"),
    ]);
    assert_eq!(preemptions(&trace), 1);
}

#[test]
fn a_section_that_reads_and_writes_is_an_update_under_the_lock() {
    let lock = |thread: &str, v: &str| Event {
        read: Some(v.into()),
        ..ev(thread, Op::Lock, "m")
    };
    let unlock = |thread: &str, looked: &str, v: &str| Event {
        read: Some(looked.into()),
        wrote: Some(v.into()),
        ..ev(thread, Op::Unlock, "m")
    };
    let mut trace = numbered(vec![
        lock("t1", "0"),
        Event {
            read: Some("0".into()),
            ..ev("t1", Op::Unlock, "m")
        },
        lock("t2", "0"),
        unlock("t2", "0", "1"),
        lock("t1", "1"),
        unlock("t1", "1", "2"),
    ]);
    explain(&mut trace, Why::Wrong);
    // Nothing is lost and no check went stale: if the outcome is wrong, it
    // is the order of the whole sections (t2's landed between t1's).
    assert_eq!(
        kinds(&trace),
        vec![(4, MarkKind::OrderViolation), (6, MarkKind::OrderViolation)]
    );
    assert!(trace[3]
        .mark
        .as_deref()
        .unwrap()
        .starts_with("lands between t1's steps 2 and 6"));
}

#[test]
fn a_relaxed_store_read_by_an_acquire_load_is_the_store_to_blame() {
    let mut flag = store("writer", "flag", "true");
    flag.ordering = Some("Relaxed".into());
    let mut check = load("reader", "flag", "true");
    check.ordering = Some("Acquire".into());
    let mut trace = numbered(vec![
        ev("writer", Op::CellWrite, "data"),
        flag,
        check,
        ev("reader", Op::CellRead, "data"),
    ]);
    explain(&mut trace, Why::DataRace);
    assert_eq!(trace[1].mark_kind, Some(MarkKind::NoSync), "{:?}", kinds(&trace));
    assert!(trace[1]
        .mark
        .as_deref()
        .unwrap()
        .contains("(Release on this store, or a release fence before it, would)"));
    assert_eq!(trace[2].mark_kind, None);
}

#[test]
fn a_take_that_finds_the_queue_empty_before_the_put_is_an_order_violation() {
    let section = |thread: &str, found: &str, left: &str| {
        vec![
            Event {
                read: Some(found.into()),
                ..ev(thread, Op::Lock, "buffer")
            },
            Event {
                wrote: Some(left.into()),
                ..ev(thread, Op::Unlock, "buffer")
            },
        ]
    };
    // bob pops from an empty queue (a `&mut` access that changes nothing),
    // then alice puts: bob never waited for the put.
    let mut trace = numbered([section("bob", "[]", "[]"), section("alice", "[]", "[7]")].concat());
    explain(&mut trace, Why::Wrong);
    assert_eq!(kinds(&trace), vec![(1, MarkKind::OrderViolation)]);
    assert!(trace[0]
        .mark
        .as_deref()
        .unwrap()
        .contains("before alice writes it (step 4)"));
    // A section that changed the value is an update, not a look.
    let mut trace = numbered([section("bob", "[]", "[1]"), section("alice", "[1]", "[1, 7]")].concat());
    explain(&mut trace, Why::Wrong);
    assert!(kinds(&trace).iter().all(|&(step, _)| step != 1), "{:?}", kinds(&trace));
}

#[test]
fn a_release_without_an_acquire_while_another_holds_the_permit_is_an_order_violation() {
    let acquire = |t: &str| ev(t, Op::Acquire, "s");
    let release = |t: &str| ev(t, Op::Release, "s");
    let mut trace = numbered(vec![
        acquire("t0"),
        release("t1"), // t1 never took a permit, and t0 is inside
        acquire("t1"),
        release("t1"), // its own
        release("t0"),
    ]);
    explain(&mut trace, Why::Wrong);
    assert_eq!(
        trace[1].mark_kind,
        Some(MarkKind::OrderViolation),
        "{:?}",
        kinds(&trace)
    );
    assert!(trace[1]
        .mark
        .as_deref()
        .unwrap()
        .contains("while t0 holds a permit (acquired at step 1)"));
    assert_eq!(trace[3].mark_kind, None);
    // A semaphore used as a signal (released by one, acquired by another)
    // is released without an acquire by design.
    let mut trace = numbered(vec![acquire("consumer"), release("producer"), acquire("consumer")]);
    explain(&mut trace, Why::Wrong);
    assert!(trace
        .iter()
        .all(|e| e.mark_kind != Some(MarkKind::OrderViolation) || e.op != Op::Release));
}

#[test]
fn a_switch_away_from_a_thread_whose_next_lock_is_free_is_a_preemption() {
    // c1 checks under the lock and lets it go; c2 runs while the lock is
    // free, so c1 was preempted, not blocked.
    let mut trace = numbered(vec![
        ev("c1", Op::Lock, "m"),
        ev("c1", Op::Unlock, "m"),
        ev("c2", Op::Lock, "m"),
        ev("c2", Op::Unlock, "m"),
        ev("c1", Op::Lock, "m"),
        ev("c1", Op::Unlock, "m"),
    ]);
    assert_eq!(preemptions(&trace), 1);
    // Switched away while c2 held the lock c1 takes next: blocked.
    trace = numbered(vec![
        ev("c2", Op::Lock, "m"),
        ev("c1", Op::Load, "x"),
        ev("c2", Op::Unlock, "m"),
        ev("c1", Op::Lock, "m"),
    ]);
    assert_eq!(preemptions(&trace), 1, "only c2's switch to c1 at the load counts");
}

#[test]
fn store_buffering_under_release_acquire_blames_the_store_before_the_load() {
    let with = |mut e: Event, o: &str| {
        e.ordering = Some(o.into());
        e
    };
    let sb = |store_o: &str, load_o: &str| {
        numbered(vec![
            with(store("a1", "x", "1"), store_o),
            with(load("a1", "y", "0"), load_o),
            with(store("a2", "y", "1"), store_o),
            with(load("a2", "x", "0"), load_o),
        ])
    };
    let mut trace = sb("Release", "Acquire");
    explain(&mut trace, Why::Wrong);
    assert_eq!(trace[2].mark_kind, Some(MarkKind::NoSync), "{:?}", kinds(&trace));
    assert!(trace[2]
        .mark
        .as_deref()
        .unwrap()
        .contains("a1 did the same (steps 1 and 2)"));
    assert_eq!(trace[3].mark_kind, Some(MarkKind::StaleRead));
    // All SeqCst: no ordering is to blame (loom's own model is, loom#180).
    let mut trace = sb("SeqCst", "SeqCst");
    explain(&mut trace, Why::Wrong);
    assert!(
        trace.iter().all(|e| e.mark_kind != Some(MarkKind::NoSync)),
        "{:?}",
        kinds(&trace)
    );
}

#[test]
fn a_compare_exchange_through_a_node_another_thread_unlinked_acts_on_a_stale_check() {
    // bob found a as head's successor, alice unlinked a, bob's CAS on a.next
    // then succeeds on a node no longer in the list.
    let mut trace = numbered(vec![
        load("bob", "head.next", "1"),
        load("bob", "a.next", "2"),
        load("alice", "head.next", "1"),
        load("alice", "a.next", "2"),
        rmw("alice", Op::CompareExchange, "head.next", "1", "2"),
        rmw("bob", Op::CompareExchange, "a.next", "2", "3"),
    ]);
    explain(&mut trace, Why::Wrong);
    assert_eq!(trace[5].mark_kind, Some(MarkKind::StaleCheck), "{:?}", kinds(&trace));
    assert!(trace[5]
        .mark
        .as_deref()
        .unwrap()
        .contains("alice changed head.next at step 5"));
}

#[test]
fn an_insert_under_the_write_lock_after_a_miss_under_the_read_lock_acts_on_a_stale_check() {
    let read_lock = |t: &str, v: &str| Event {
        read: Some(v.into()),
        ..ev(t, Op::ReadLock, "cache")
    };
    let section = |t: &str, found: &str, left: &str| {
        vec![
            Event {
                read: Some(found.into()),
                ..ev(t, Op::Lock, "cache")
            },
            Event {
                wrote: Some(left.into()),
                ..ev(t, Op::Unlock, "cache")
            },
        ]
    };
    let mut trace = numbered(
        [
            vec![read_lock("tab1", "{}"), ev("tab1", Op::ReadUnlock, "cache")],
            section("tab2", "{}", "{ann: 200}"),
            section("tab1", "{ann: 200}", "{ann: 100}"),
        ]
        .concat(),
    );
    explain(&mut trace, Why::Wrong);
    assert_eq!(trace[5].mark_kind, Some(MarkKind::StaleCheck), "{:?}", kinds(&trace));
    assert!(trace[5]
        .mark
        .as_deref()
        .unwrap()
        .contains("acts on the check at step 1"));
}

#[test]
fn two_read_locked_looks_split_by_a_removal_are_an_atomicity_violation() {
    let look = |t: &str, v: &str| Event {
        read: Some(v.into()),
        ..ev(t, Op::ReadLock, "vector")
    };
    let mut trace = numbered(vec![
        look("alice", "[10, 20]"),
        ev("alice", Op::ReadUnlock, "vector"),
        Event {
            read: Some("[10, 20]".into()),
            ..ev("bob", Op::Lock, "vector")
        },
        Event {
            wrote: Some("[10]".into()),
            ..ev("bob", Op::Unlock, "vector")
        },
        look("alice", "[10]"),
    ]);
    explain(&mut trace, Why::Wrong);
    assert_eq!(
        trace[4].mark_kind,
        Some(MarkKind::AtomicityViolation),
        "{:?}",
        kinds(&trace)
    );
}

#[test]
fn a_copy_written_back_over_another_threads_update_loses_it() {
    let section = |t: &str, found: &str, left: Option<&str>, looked: bool| {
        vec![
            Event {
                read: Some(found.into()),
                ..ev(t, Op::Lock, "entry")
            },
            Event {
                read: looked.then(|| found.into()),
                wrote: left.map(Into::into),
                ..ev(t, Op::Unlock, "entry")
            },
        ]
    };
    let mut trace = numbered(
        [
            section("alice", "{hits: 0}", None, true),
            section("bob", "{hits: 0}", Some("{hits: 1}"), true),
            section("alice", "{hits: 1}", Some("{hits: 1}"), false),
        ]
        .concat(),
    );
    explain(&mut trace, Why::Wrong);
    assert_eq!(trace[5].mark_kind, Some(MarkKind::LostUpdate), "{:?}", kinds(&trace));
}
