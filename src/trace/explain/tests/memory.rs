//! Data races, stale reads and the access that fails to synchronise (`memory.rs`), on hand-written
//! traces.

use super::*;

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
fn store_buffering_with_a_full_fence_on_one_side_blames_the_side_without_one() {
    let with = |mut e: Event, o: &str| {
        e.ordering = Some(o.into());
        e
    };
    let fence = with(ev("waker", Op::Fence, ""), "SeqCst");
    let mut trace = numbered(vec![
        with(store("sleeper", "state", "1"), "Release"),
        with(load("sleeper", "event", "false"), "Acquire"),
        with(store("waker", "event", "true"), "Release"),
        fence,
        with(load("waker", "state", "0"), "Acquire"),
    ]);
    explain(&mut trace, Why::Wrong);
    assert_eq!(trace[0].mark_kind, Some(MarkKind::NoSync), "{:?}", kinds(&trace));
    assert!(trace[0].mark.as_deref().unwrap().contains("waker has a full barrier"));
    assert_eq!(trace[2].mark_kind, None, "the waker did its part");
}

#[test]
fn a_plain_store_between_a_release_and_an_acquire_breaks_the_release_sequence() {
    let with = |mut e: Event, o: &str| {
        e.ordering = Some(o.into());
        e
    };
    let trace = |relay: &str| {
        numbered(vec![
            ev("t1", Op::CellWrite, "data"),
            with(store("t1", "flag", "1"), "Release"),
            with(load("t2", "flag", "1"), "Relaxed"),
            with(store("t2", "flag", "2"), relay),
            with(load("t3", "flag", "2"), "Acquire"),
            ev("t3", Op::CellRead, "data"),
        ])
    };
    let mut broken = trace("Relaxed");
    explain(&mut broken, Why::DataRace);
    assert_eq!(broken[3].mark_kind, Some(MarkKind::NoSync), "{:?}", kinds(&broken));
    assert!(broken[3]
        .mark
        .as_deref()
        .unwrap()
        .contains("breaks t1's release sequence"));
}

#[test]
fn a_check_that_went_on_before_the_other_thread_changed_it_is_marked_beside_the_race() {
    // A wait group read as 0 before the worker's `add`: main reads the
    // result the worker has not written yet.
    let lock = |thread: &str, found: &str| Event {
        read: Some(found.into()),
        ..ev(thread, Op::Lock, "wg")
    };
    let unlock = |thread: &str, read: Option<&str>, wrote: Option<&str>| Event {
        read: read.map(Into::into),
        wrote: wrote.map(Into::into),
        ..ev(thread, Op::Unlock, "wg")
    };
    let mut trace = numbered(vec![
        lock("main", "0"),
        unlock("main", Some("0"), None),
        ev("main", Op::CellRead, "result"),
        lock("worker", "0"),
        unlock("worker", None, Some("1")),
        ev("worker", Op::CellWrite, "result"),
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
        .contains("finds wg = 0 and goes on, before worker changes it (step 5)"));
}

#[test]
fn a_read_older_than_a_write_that_seems_to_happen_before_it_blames_the_load_that_read_an_equal_older_value() {
    // Too much milk 2 on Release/Acquire: bob's Acquire load of noteA reads
    // 0, alice's note went 1, 0; read as alice's Release store of 0 it would
    // order her purchase before bob's read of milk, which found 0. So it
    // read the initial 0: that load is the stale one.
    let with = |mut e: Event, o: &str| {
        e.ordering = Some(o.into());
        e
    };
    let mut trace = numbered(vec![
        with(store("alice", "noteA", "1"), "Release"),
        with(load("alice", "milk", "0"), "Acquire"),
        with(rmw("alice", Op::FetchAdd, "milk", "0", "1"), "AcqRel"),
        with(store("alice", "noteA", "0"), "Release"),
        with(load("bob", "noteA", "0"), "Acquire"),
        with(load("bob", "milk", "0"), "Acquire"),
    ]);
    explain(&mut trace, Why::Wrong);
    assert_eq!(trace[4].mark_kind, Some(MarkKind::StaleRead), "{:?}", kinds(&trace));
    assert!(trace[4].mark.as_deref().unwrap().contains("from its initial value"));
    assert_eq!(trace[5].mark_kind, Some(MarkKind::StaleRead));
}

#[test]
fn a_relaxed_load_in_the_middle_of_a_three_thread_chain_is_the_broken_link() {
    // Williams' listing 5.9 with thread_2's load Relaxed: thread_2's own
    // Release store passes on nothing of thread_1's.
    let with = |mut e: Event, o: &str| {
        e.ordering = Some(o.into());
        e
    };
    let mut trace = numbered(vec![
        with(store("main", "data", "0"), "Relaxed"),
        with(store("thread_1", "data", "42"), "Relaxed"),
        with(store("thread_1", "sync1", "true"), "Release"),
        with(load("thread_2", "sync1", "true"), "Relaxed"),
        with(store("thread_2", "sync2", "true"), "Release"),
        with(load("thread_3", "sync2", "true"), "Acquire"),
        with(load("thread_3", "data", "0"), "Relaxed"),
    ]);
    explain(&mut trace, Why::Wrong);
    assert_eq!(trace[3].mark_kind, Some(MarkKind::NoSync), "{:?}", kinds(&trace));
    let text = trace[3].mark.as_deref().unwrap();
    assert!(
        text.starts_with("this Relaxed load does not acquire what it reads (Acquire would), so the chain thread_1 → thread_2 → thread_3 carries nothing"),
        "{text}"
    );
    assert_eq!(trace[6].mark_kind, Some(MarkKind::StaleRead));
}
