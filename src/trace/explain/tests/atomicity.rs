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

#[test]
fn a_check_and_its_use_split_by_a_write_are_marked_across_reads_of_other_objects() {
    // `if val2 != 0 { val1 / val2 }`: val1 is read between the two looks.
    let mut trace = numbered(vec![
        load("t1", "val2", "1"),
        load("t1", "val1", "1"),
        store("t2", "val2", "0"),
        load("t1", "val2", "0"),
    ]);
    explain(&mut trace, Why::Wrong);
    assert_eq!(
        trace[3].mark_kind,
        Some(MarkKind::AtomicityViolation),
        "{:?}",
        kinds(&trace)
    );
}

#[test]
fn a_cell_written_then_read_back_over_another_threads_write_is_marked() {
    // One shared `SimpleDateFormat`: t1 sets the calendar, t2 sets it, t1
    // formats what t2 set.
    let mut trace = numbered(vec![
        ev("t1", Op::CellWrite, "calendar"),
        ev("t2", Op::CellWrite, "calendar"),
        ev("t1", Op::CellRead, "calendar"),
    ]);
    explain(&mut trace, Why::Wrong);
    assert_eq!(
        trace[2].mark_kind,
        Some(MarkKind::AtomicityViolation),
        "{:?}",
        kinds(&trace)
    );
    assert!(trace[2]
        .mark
        .as_deref()
        .unwrap()
        .starts_with("reads t2's write of step 2, not its own write of step 1"));
}

#[test]
fn reads_on_either_side_of_a_wait_are_no_torn_snapshot() {
    let mut wait = ev("producer", Op::Wait, "m");
    wait.value = Some("on cv".into());
    let trace = |waited: bool| {
        let mut t = vec![load("producer", "count", "1")];
        if waited {
            t.push(wait.clone());
        }
        t.push(store("consumer", "buffer", "[]"));
        t.push(store("consumer", "count", "0"));
        t.push(load("producer", "buffer", "[]"));
        numbered(t)
    };
    let mut woke = trace(true);
    explain(&mut woke, Why::Wrong);
    assert!(
        woke.iter().all(|e| e.mark_kind != Some(MarkKind::AtomicityViolation)),
        "{:?}",
        kinds(&woke)
    );
    let mut torn = trace(false);
    explain(&mut torn, Why::Wrong);
    assert_eq!(
        torn[3].mark_kind,
        Some(MarkKind::AtomicityViolation),
        "{:?}",
        kinds(&torn)
    );
}

#[test]
fn another_threads_two_writes_between_this_threads_two_are_split_writes() {
    // flush: table = 0; empty = true, with a fill (table = 7; empty =
    // false) in between: table 7, empty true.
    let mut trace = numbered(vec![
        store("gc", "table", "0"),
        store("interp", "table", "7"),
        store("interp", "empty", "false"),
        store("gc", "empty", "true"),
    ]);
    explain(&mut trace, Why::Wrong);
    assert_eq!(kinds(&trace), vec![(4, MarkKind::AtomicityViolation)]);
    let text = trace[3].mark.as_deref().unwrap();
    assert!(
        text.starts_with("interp's writes of table (step 2) and empty (step 3) came between this thread's writes of table (step 1) and empty"),
        "{text}"
    );
}

#[test]
fn writes_that_take_turns_whole_are_not_split() {
    let mut trace = numbered(vec![
        store("gc", "table", "0"),
        store("gc", "empty", "true"),
        store("interp", "table", "7"),
        store("interp", "empty", "false"),
    ]);
    explain(&mut trace, Why::Wrong);
    assert!(
        trace.iter().all(|e| e.mark_kind != Some(MarkKind::AtomicityViolation)),
        "{:?}",
        kinds(&trace)
    );
}
