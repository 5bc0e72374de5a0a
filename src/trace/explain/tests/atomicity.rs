//! Accesses meant as one, split by another thread (`atomicity.rs`), on hand-written traces.

use super::*;

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
fn two_look_only_critical_sections_split_by_a_write_are_an_atomicity_violation() {
    // `if !lst.is_empty() { lst.get(0) }`, each call under its own lock.
    let look = |thread: &str, found: &str| {
        vec![
            Event {
                read: Some(found.into()),
                ..ev(thread, Op::Lock, "lst")
            },
            Event {
                read: Some(found.into()),
                ..ev(thread, Op::Unlock, "lst")
            },
        ]
    };
    let mut trace = look("reader", "[job]");
    trace.push(Event {
        read: Some("[job]".into()),
        ..ev("remover", Op::Lock, "lst")
    });
    trace.push(Event {
        wrote: Some("[]".into()),
        ..ev("remover", Op::Unlock, "lst")
    });
    trace.extend(look("reader", "[]"));
    let mut trace = numbered(trace);
    explain(&mut trace, Why::Wrong);
    assert_eq!(
        trace[4].mark_kind,
        Some(MarkKind::AtomicityViolation),
        "{:?}",
        trace[4].mark
    );
}
