//! A compare-exchange that takes a lock word another thread holds
//! (`claims.rs`), on hand-written traces.

use super::*;

fn cas_failed(thread: &str, target: &str, found: &str) -> Event {
    Event {
        read: Some(found.into()),
        ..ev(thread, Op::CompareExchangeFailed, target)
    }
}

fn cell(thread: &str, op: Op) -> Event {
    ev(thread, op, "counter")
}

#[test]
fn exchanging_true_for_true_on_a_held_lock_takes_it_a_second_time() {
    // expected = false; while cas(expected, true) fails { expected = found }
    let mut trace = numbered(vec![
        rmw("alice", Op::CompareExchange, "locked", "false", "true"),
        cas_failed("bob", "locked", "true"),
        rmw("bob", Op::CompareExchange, "locked", "true", "true"),
        cell("alice", Op::CellRead),
        cell("bob", Op::CellRead),
        cell("bob", Op::CellWrite),
        store("bob", "locked", "false"),
        cell("alice", Op::CellWrite),
        store("alice", "locked", "false"),
    ]);
    explain(&mut trace, Why::Wrong);
    assert_eq!(trace[2].mark_kind, Some(MarkKind::AtomicityViolation));
    let text = trace[2].mark.as_deref().unwrap();
    assert!(
        text.starts_with("takes locked although alice holds it (claimed at step 1, put back only at step 9)"),
        "{text}"
    );
    assert!(text.contains("its failed attempt at step 2 found true"), "{text}");
    // The failed attempt itself was right to fail.
    assert!(trace[1].mark.is_none());
}

#[test]
fn taking_a_lock_its_holder_released_is_no_second_claim() {
    let mut trace = numbered(vec![
        rmw("alice", Op::CompareExchange, "locked", "false", "true"),
        cas_failed("bob", "locked", "true"),
        store("alice", "locked", "false"),
        rmw("bob", Op::CompareExchange, "locked", "false", "true"),
        store("bob", "locked", "false"),
    ]);
    explain(&mut trace, Why::Wrong);
    assert!(
        trace.iter().all(|e| e.mark_kind != Some(MarkKind::AtomicityViolation)),
        "{:?}",
        kinds(&trace)
    );
}

#[test]
fn reading_what_a_lock_guards_is_no_premature_read_of_a_published_flag() {
    // bob saw the lock word alice claimed, then read what it guards before
    // alice wrote it: a lock, not a flag set before its data.
    let mut trace = numbered(vec![
        rmw("alice", Op::CompareExchange, "locked", "false", "true"),
        Event {
            ordering: Some("Relaxed".into()),
            ..cas_failed("bob", "locked", "true")
        },
        load("bob", "data", "0"),
        store("alice", "data", "1"),
        store("alice", "locked", "false"),
    ]);
    explain(&mut trace, Why::Wrong);
    assert!(
        trace[2]
            .mark
            .as_deref()
            .is_none_or(|m| !m.contains("set the flag after publishing")),
        "{:?}",
        trace[2].mark
    );
}

#[test]
fn a_retry_that_takes_a_lock_never_put_back_is_a_second_claim() {
    // loom stops at the data race, before alice's release.
    let mut trace = numbered(vec![
        rmw("alice", Op::CompareExchange, "locked", "false", "true"),
        cell("alice", Op::CellWrite),
        cas_failed("bob", "locked", "true"),
        rmw("bob", Op::CompareExchange, "locked", "true", "true"),
        cell("bob", Op::CellRead),
    ]);
    explain(&mut trace, Why::DataRace);
    let text = trace[3].mark.as_deref().unwrap_or_default();
    assert!(
        text.starts_with("takes locked although alice holds it (claimed at step 1, not put back)"),
        "{text}"
    );
}

#[test]
fn an_exchange_that_changes_nothing_with_no_sign_of_a_lock_is_not_marked() {
    // cas(true, true) used as a read, of a word nobody puts back.
    let mut trace = numbered(vec![
        rmw("alice", Op::CompareExchange, "ready", "false", "true"),
        rmw("bob", Op::CompareExchange, "ready", "true", "true"),
    ]);
    explain(&mut trace, Why::Wrong);
    assert!(
        trace[1].mark_kind != Some(MarkKind::AtomicityViolation),
        "{:?}",
        trace[1].mark
    );
}
