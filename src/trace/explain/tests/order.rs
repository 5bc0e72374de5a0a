//! Steps in an order nothing enforced (`order.rs`), on hand-written traces.

use super::*;

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
fn going_on_on_a_count_announced_before_its_writer_took_the_room_is_an_order_violation() {
    // A lightswitch that counts itself first, then waits for the room:
    // carol sees alice's 1 and walks in before alice has taken `empty`.
    let section = |thread: &str, target: &str, found: &str, left: &str| {
        vec![
            Event {
                read: Some(found.into()),
                ..ev(thread, Op::Lock, target)
            },
            Event {
                read: Some(found.into()),
                wrote: Some(left.into()),
                ..ev(thread, Op::Unlock, target)
            },
        ]
    };
    let mut trace = section("bob", "room", "empty", "bob");
    trace.extend(section("alice", "switch", "0", "1"));
    trace.extend(section("carol", "switch", "1", "2"));
    trace.extend(section("carol", "room", "bob", "bob, carol"));
    trace.push(ev("alice", Op::Acquire, "empty"));
    let mut trace = numbered(trace);
    explain(&mut trace, Why::Wrong);
    assert_eq!(kinds(&trace), vec![(7, MarkKind::OrderViolation)]);
    let text = trace[6].mark.as_deref().unwrap();
    assert!(text.contains("before alice has taken empty (step 9)"), "{text}");
}

#[test]
fn two_threads_spinning_on_each_others_flags_are_a_livelock_cycle() {
    // Dekker's third attempt: both raise their flag, then wait for the
    // other's to fall.
    let mut trace = vec![store("p0", "flag0", "true"), store("p1", "flag1", "true")];
    for _ in 0..2 {
        trace.push(load("p0", "flag1", "true"));
        trace.push(load("p1", "flag0", "true"));
    }
    let mut trace = numbered(trace);
    let text = explain(&mut trace, Why::Stuck).expect("a livelock");
    assert!(text.contains("p0 spins on flag1, which p1 holds"), "{text}");
    assert_eq!(trace[4].mark_kind, Some(MarkKind::Deadlock));
    assert_eq!(trace[5].mark_kind, Some(MarkKind::Deadlock));
}

#[test]
fn a_read_of_a_value_the_writer_only_passed_through_names_both_writes() {
    // rotate: log_type = CLOSED; ...; log_type = BIN, with a reader between.
    let mut trace = numbered(vec![
        store("flush", "log_type", "0"),
        load("insert", "log_type", "0"),
        store("flush", "log_type", "3"),
    ]);
    explain(&mut trace, Why::Wrong);
    let text = trace[1].mark.as_deref().unwrap();
    assert!(
        text.starts_with("reads log_type = 0, which flush wrote at step 1 on its way to the write of step 3"),
        "{text}"
    );
}

#[test]
fn a_release_by_a_non_holder_of_a_one_permit_semaphore_is_an_order_violation_even_cut_short() {
    // loom stopped at the data race before anyone released its own permit.
    let mut trace = numbered(vec![
        Event {
            value: Some("(0 left)".into()),
            ..ev("careful", Op::Acquire, "mutex")
        },
        ev("careful", Op::CellRead, "counter"),
        Event {
            value: Some("(1 free)".into()),
            ..ev("careless", Op::Release, "mutex")
        },
        ev("careless", Op::CellRead, "counter"),
    ]);
    explain(&mut trace, Why::Wrong);
    assert_eq!(
        trace[2].mark_kind,
        Some(MarkKind::OrderViolation),
        "{:?}",
        kinds(&trace)
    );
}

#[test]
fn a_state_announced_before_the_data_it_stands_for_marks_both_ends() {
    // syncRepState = COMPLETE; ...; links = detached, with a reader between.
    let mut state = store("walsender", "state", "2");
    state.ordering = Some("Relaxed".into());
    let mut seen = load("main", "state", "2");
    seen.ordering = Some("Relaxed".into());
    let mut trace = numbered(vec![
        state,
        seen,
        load("main", "links", "true"),
        store("walsender", "links", "false"),
    ]);
    explain(&mut trace, Why::Wrong);
    assert_eq!(
        trace[0].mark_kind,
        Some(MarkKind::OrderViolation),
        "{:?}",
        kinds(&trace)
    );
    assert!(trace[0]
        .mark
        .as_deref()
        .unwrap()
        .starts_with("announces state = 2 before writing links (step 4)"));
    assert_eq!(trace[2].mark_kind, Some(MarkKind::StaleCheck));
}

#[test]
fn a_count_or_a_lock_claimed_announces_nothing() {
    // A count raised by fetch_add, and a lock taken by compare-exchange,
    // are no announcements of what follows.
    let with = |mut e: Event| {
        e.ordering = Some("Acquire".into());
        e
    };
    let mut trace = numbered(vec![
        with(rmw("alice", Op::FetchAdd, "count", "0", "1")),
        with(load("bob", "count", "1")),
        load("bob", "data", "0"),
        store("alice", "data", "5"),
    ]);
    explain(&mut trace, Why::Wrong);
    assert!(
        trace[0].mark_kind != Some(MarkKind::OrderViolation),
        "{:?}",
        kinds(&trace)
    );
    let mut trace = numbered(vec![
        with(rmw("alice", Op::CompareExchange, "locked", "false", "true")),
        ev("alice", Op::CellWrite, "counter"),
        Event {
            read: Some("true".into()),
            ..with(ev("bob", Op::CompareExchangeFailed, "locked"))
        },
        ev("bob", Op::CellRead, "counter"),
    ]);
    explain(&mut trace, Why::DataRace);
    assert!(
        trace[0].mark_kind != Some(MarkKind::OrderViolation),
        "{:?}",
        kinds(&trace)
    );
}

#[test]
fn an_announcement_before_a_racing_write_is_marked() {
    // FutureTask: state 0 -> RAN by compare-exchange, then the result.
    let with = |mut e: Event| {
        e.ordering = Some("SeqCst".into());
        e
    };
    let mut trace = numbered(vec![
        with(rmw("main", Op::CompareExchange, "state", "0", "2")),
        ev("main", Op::CellWrite, "result"),
        with(load("getter", "state", "2")),
        ev("getter", Op::CellRead, "result"),
    ]);
    explain(&mut trace, Why::DataRace);
    assert_eq!(
        trace[0].mark_kind,
        Some(MarkKind::OrderViolation),
        "{:?}",
        kinds(&trace)
    );
    assert!(trace[0]
        .mark
        .as_deref()
        .unwrap()
        .contains("which nothing orders after that write"));
}
