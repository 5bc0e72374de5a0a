//! Acts on checks made stale (`stale_acts.rs`) and writes after a re-read
//! that saw another thread's change (`updates.rs`), on hand-written traces.

use super::*;

#[test]
fn writing_after_a_reread_that_saw_another_threads_change_acts_on_the_first_check() {
    // if available() { acquire() }: check 0, the other thread takes it, the
    // acquire reads 1 and writes 2 all the same.
    let mut trace = numbered(vec![
        load("t1", "sem", "0"),
        load("t2", "sem", "0"),
        load("t2", "sem", "0"),
        store("t2", "sem", "1"),
        load("t1", "sem", "1"),
        store("t1", "sem", "2"),
    ]);
    explain(&mut trace, Why::Wrong);
    assert_eq!(kinds(&trace), vec![(6, MarkKind::StaleCheck)]);
    let text = trace[5].mark.as_deref().unwrap();
    assert!(
        text.starts_with("acts on the check at step 1 (sem was 0), but t2 set it to 1 at step 4"),
        "{text}"
    );
}

#[test]
fn a_polling_loop_that_waited_for_the_change_does_not_act_on_a_stale_check() {
    // while x != 0 { yield }; x = 1
    let mut trace = numbered(vec![
        store("t2", "x", "1"),
        Event {
            yielded: true,
            ..load("t1", "x", "1")
        },
        store("t2", "x", "0"),
        load("t1", "x", "0"),
        store("t1", "x", "1"),
    ]);
    explain(&mut trace, Why::Wrong);
    // (The fallback may still say the writes interleaved: nothing acted on a stale look.)
    assert!(
        kinds(&trace)
            .iter()
            .all(|(_, k)| !matches!(k, MarkKind::StaleCheck | MarkKind::AtomicityViolation)),
        "{:?}",
        kinds(&trace)
    );
}

#[test]
fn a_reread_that_found_the_same_value_is_no_stale_check() {
    let mut trace = numbered(vec![
        load("t1", "x", "0"),
        store("t2", "x", "0"),
        load("t1", "x", "0"),
        store("t1", "x", "1"),
    ]);
    explain(&mut trace, Why::Wrong);
    // (The fallback may still say the writes interleaved: nothing acted on a stale look.)
    assert!(
        kinds(&trace)
            .iter()
            .all(|(_, k)| !matches!(k, MarkKind::StaleCheck | MarkKind::AtomicityViolation)),
        "{:?}",
        kinds(&trace)
    );
}

fn at(e: Event, place: &str) -> Event {
    Event {
        at: Some(place.into()),
        ..e
    }
}

#[test]
fn a_check_and_an_act_at_two_places_are_a_stale_check_even_across_a_yield() {
    // if available() { yield(); acquire() }
    let mut trace = numbered(vec![
        Event {
            yielded: true,
            ..at(load("t1", "sem", "0"), "a.rs:1:1")
        },
        at(load("t2", "sem", "0"), "a.rs:1:1"),
        at(load("t2", "sem", "0"), "a.rs:2:1"),
        at(store("t2", "sem", "1"), "a.rs:2:9"),
        at(load("t1", "sem", "1"), "a.rs:2:1"),
        at(store("t1", "sem", "2"), "a.rs:2:9"),
    ]);
    explain(&mut trace, Why::Wrong);
    assert_eq!(kinds(&trace), vec![(6, MarkKind::StaleCheck)]);
}

#[test]
fn one_call_read_twice_is_a_loop_polling_not_a_stale_check() {
    // while x.load() != 0 {}; x.store(1), with no yield in the loop.
    let mut trace = numbered(vec![
        at(store("t2", "x", "1"), "a.rs:9:1"),
        at(load("t1", "x", "1"), "a.rs:1:1"),
        at(store("t2", "x", "0"), "a.rs:9:1"),
        at(load("t1", "x", "0"), "a.rs:1:1"),
        at(store("t1", "x", "1"), "a.rs:2:1"),
    ]);
    explain(&mut trace, Why::Wrong);
    assert!(
        kinds(&trace)
            .iter()
            .all(|(_, k)| !matches!(k, MarkKind::StaleCheck | MarkKind::AtomicityViolation)),
        "{:?}",
        kinds(&trace)
    );
}

#[test]
fn an_update_from_a_fresh_read_after_acting_on_an_older_one_is_not_marked() {
    // n = outcnt; buf[n] = v; outcnt = outcnt + 1 (read afresh): the last
    // store is right, whatever the slot write before it did.
    let mut trace = numbered(vec![
        load("w1", "outcnt", "0"),
        store("w1", "buf0", "1"),
        load("w2", "outcnt", "0"),
        store("w2", "outcnt", "1"),
        load("w1", "outcnt", "1"),
        store("w1", "outcnt", "2"),
    ]);
    explain(&mut trace, Why::Wrong);
    assert!(trace[5].mark.is_none(), "{:?}", trace[5].mark);
}

#[test]
fn writing_back_the_value_read_over_another_threads_change_acts_on_a_stale_check() {
    // setfl: read the flags (a check), store the argument, which happens to
    // be what was read: no update computed from the read is lost.
    let mut trace = numbered(vec![
        load("t2", "flags", "8192"),
        load("t3", "flags", "8192"),
        store("t3", "flags", "0"),
        store("t2", "flags", "8192"),
    ]);
    explain(&mut trace, Why::Wrong);
    assert_eq!(kinds(&trace), vec![(4, MarkKind::StaleCheck)]);
    let text = trace[3].mark.as_deref().unwrap();
    assert!(
        text.starts_with("acts on the check at step 1 (flags was 8192), but t3"),
        "{text}"
    );
}

#[test]
fn a_check_the_other_thread_changed_while_this_one_was_inside_is_marked_with_the_lost_update() {
    // Peterson with turn set before the flag: P1 checks P0's flag before P0
    // raises it, and both go in.
    let mut trace = numbered(vec![
        ordered(store("P0", "turn", "0"), "SeqCst"),
        ordered(store("P1", "turn", "1"), "SeqCst"),
        ordered(store("P1", "flag1", "true"), "SeqCst"),
        ordered(load("P1", "flag0", "false"), "SeqCst"),
        ordered(load("P1", "counter", "0"), "SeqCst"),
        ordered(store("P0", "flag0", "true"), "SeqCst"),
        ordered(load("P0", "turn", "1"), "SeqCst"),
        ordered(load("P0", "counter", "0"), "SeqCst"),
        ordered(store("P0", "counter", "1"), "SeqCst"),
        ordered(store("P1", "counter", "1"), "SeqCst"),
    ]);
    explain(&mut trace, Why::Wrong);
    assert_eq!(trace[9].mark_kind, Some(MarkKind::LostUpdate));
    assert_eq!(trace[3].mark_kind, Some(MarkKind::StaleCheck), "{:?}", kinds(&trace));
    let text = trace[3].mark.as_deref().unwrap();
    assert!(
        text.starts_with("P1 goes on on this check (flag0 was false), but P0 set flag0 to true at step 6"),
        "{text}"
    );
}

#[test]
fn a_plain_lost_update_marks_no_check() {
    let mut trace = numbered(vec![
        ordered(load("a", "go", "true"), "SeqCst"),
        ordered(load("a", "counter", "0"), "SeqCst"),
        ordered(load("b", "counter", "0"), "SeqCst"),
        ordered(store("b", "counter", "1"), "SeqCst"),
        ordered(store("a", "counter", "1"), "SeqCst"),
    ]);
    explain(&mut trace, Why::Wrong);
    assert_eq!(kinds(&trace), vec![(5, MarkKind::LostUpdate)]);
}

#[test]
fn the_second_to_act_on_a_check_both_made_is_marked() {
    // if !started { log.push(header); started = true }, in two threads.
    let section = |t: &str, found: &str, left: &str| {
        vec![
            Event {
                read: Some(found.into()),
                value: Some(format!("-> {found}")),
                ..ev(t, Op::Lock, "log")
            },
            Event {
                wrote: Some(left.into()),
                ..ev(t, Op::Unlock, "log")
            },
        ]
    };
    let mut trace = numbered(
        [
            vec![load("main", "started", "0")],
            section("main", "[]", "[h]"),
            vec![load("io", "started", "0")],
            section("io", "[h]", "[h, h]"),
            vec![store("io", "started", "1"), store("main", "started", "1")],
        ]
        .concat(),
    );
    explain(&mut trace, Why::Wrong);
    assert_eq!(trace[5].mark_kind, Some(MarkKind::StaleCheck), "{:?}", kinds(&trace));
}
