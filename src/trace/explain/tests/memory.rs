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
