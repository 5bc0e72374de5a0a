//! Lost updates, acts on stale checks and ABA (`updates.rs`), on hand-written traces.

use super::*;

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

#[test]
fn setting_a_lock_word_its_holder_later_clears_after_a_stale_check_is_an_act_on_a_stale_check() {
    // A flag lock on a number: both test 0, both set 1; t0 clears it later.
    // The second `store flag <- 1` loses nothing of t0's (same claim): it
    // acts on its stale test. A counter (nobody puts 0 back) loses t0's +1.
    let lock_word = |last: &str| {
        numbered(vec![
            load("t1", "flag", "0"),
            load("t0", "flag", "0"),
            store("t0", "flag", "1"),
            store("t1", "flag", "1"),
            store("t0", "flag", last),
        ])
    };
    let mut trace = lock_word("0");
    explain(&mut trace, Why::Wrong);
    assert_eq!(kinds(&trace), vec![(4, MarkKind::StaleCheck)]);
    assert!(trace[3]
        .mark
        .as_deref()
        .unwrap()
        .contains("but t0 set it to 1 at step 3"));
    let mut counter = lock_word("2");
    explain(&mut counter, Why::Wrong);
    assert_eq!(kinds(&counter)[0], (4, MarkKind::LostUpdate));
}

#[test]
fn a_store_over_a_value_changed_and_changed_back_loses_nothing_but_acts_on_a_stale_check() {
    // t1 tests flag == 0; t0 takes it (1) and releases it (0); t1 sets 1.
    let mut trace = numbered(vec![
        load("t1", "flag", "0"),
        store("t0", "flag", "1"),
        store("t0", "flag", "0"),
        store("t1", "flag", "1"),
    ]);
    explain(&mut trace, Why::Wrong);
    assert_eq!(kinds(&trace), vec![(4, MarkKind::StaleCheck)]);
    let text = trace[3].mark.as_deref().unwrap();
    assert!(text.contains("t0 set it to 1 at step 2"), "{text}");
    assert!(!text.contains("lost"), "{text}");
}

#[test]
fn raising_a_count_another_thread_brought_to_zero_and_acted_on_is_a_get_after_zero() {
    let lookup = |thread: &str| Event {
        read: Some("Some(7)".into()),
        ..ev(thread, Op::ReadLock, "table")
    };
    let remove = Event {
        wrote: Some("None".into()),
        ..ev("owner", Op::Unlock, "table")
    };
    let trace = |owner_removes: bool| {
        let mut t = vec![
            rmw("owner", Op::FetchSub, "refcount", "1", "0"),
            lookup("finder"),
            rmw("finder", Op::FetchAdd, "refcount", "0", "1"),
        ];
        if owner_removes {
            t.push(remove.clone());
        }
        numbered(t)
    };
    let mut revived = trace(true);
    explain(&mut revived, Why::Wrong);
    assert_eq!(revived[2].mark_kind, Some(MarkKind::StaleCheck));
    let text = revived[2].mark.as_deref().unwrap();
    assert!(
        text.contains("owner brought refcount to 0 at step 1 and so changed table at step 4"),
        "{text}"
    );
    // A count that went to 0 and up again, with nothing acted on: no mark.
    let mut idle = trace(false);
    explain(&mut idle, Why::Wrong);
    assert!(idle[2].mark.is_none(), "{:?}", idle[2].mark);
}

#[test]
fn the_act_on_a_check_is_not_a_write_to_an_object_checked_after_it() {
    // Too much milk: alice checks milk, then the note, leaves a note, buys.
    // Leaving the note answers the note's check; buying answers milk's.
    let mut trace = numbered(vec![
        load("alice", "milk", "0"),
        load("alice", "note", "0"),
        load("bob", "milk", "0"),
        rmw("bob", Op::FetchAdd, "milk", "0", "1"),
        store("alice", "note", "1"),
        rmw("alice", Op::FetchAdd, "milk", "1", "2"),
    ]);
    explain(&mut trace, Why::Wrong);
    assert_eq!(trace[5].mark_kind, Some(MarkKind::StaleCheck), "{:?}", kinds(&trace));
    assert!(trace[5].mark.as_deref().unwrap().contains("the check at step 1"));
    assert_eq!(trace[4].mark_kind, None, "{:?}", trace[4].mark);
}

#[test]
fn clearing_what_another_thread_already_cleared_is_a_second_delete_not_a_lost_update() {
    let mut trace = numbered(vec![
        load("alice", "slot", "1"),
        load("bob", "slot", "1"),
        store("alice", "slot", "0"),
        store("bob", "slot", "0"),
    ]);
    explain(&mut trace, Why::Wrong);
    assert_eq!(kinds(&trace), vec![(4, MarkKind::StaleCheck)]);
    assert!(!trace[3].mark.as_deref().unwrap().contains("lost"));
}
