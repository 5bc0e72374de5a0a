//! Putting a loom trace in a sequentially consistent order, and telling one
//! no `SeqCst` machine can run (`sc_order.rs`), on hand-written traces.

use super::*;

fn seq_cst(mut e: Event) -> Event {
    e.ordering = Some("SeqCst".into());
    e
}

#[test]
fn a_load_loom_ran_after_an_unsynchronised_store_moves_before_it() {
    // t1 read 0 "after" t0 stored 20: on a SeqCst machine its load came first.
    let mut trace = numbered(vec![
        seq_cst(load("t0", "x", "0")),
        seq_cst(store("t0", "x", "20")),
        seq_cst(load("t1", "x", "0")),
        seq_cst(store("t1", "x", "30")),
    ]);
    assert!(sc_order(&mut trace, Why::Wrong));
    let order: Vec<(&str, Op)> = trace.iter().map(|e| (e.thread.as_str(), e.op)).collect();
    assert_eq!(
        order,
        vec![("t0", Op::Load), ("t1", Op::Load), ("t0", Op::Store), ("t1", Op::Store)]
    );
    assert_eq!(trace.iter().map(|e| e.step).collect::<Vec<_>>(), vec![1, 2, 3, 4]);
}

#[test]
fn a_race_hidden_by_a_flag_read_of_an_older_equal_value_is_shown_in_an_order_that_races() {
    // OSTEP's flag lock: loom ran t0's whole critical section first, and
    // t1's load read the initial 0 (not t0's `store flag <- 0`): a race.
    let spawn = |child: &str| {
        let mut e = ev("main", Op::Spawn, child);
        e.value = Some(child.into());
        e
    };
    let trace = vec![
        spawn("t0"),
        spawn("t1"),
        seq_cst(load("t0", "flag", "0")),
        seq_cst(store("t0", "flag", "1")),
        ev("t0", Op::CellWrite, "count"),
        seq_cst(store("t0", "flag", "0")),
        seq_cst(load("t1", "flag", "0")),
        seq_cst(store("t1", "flag", "1")),
        ev("t1", Op::CellRead, "count"),
    ];
    let mut race = numbered(trace.clone());
    assert!(sc_order(&mut race, Why::DataRace));
    let order: Vec<(&str, Op)> = race.iter().skip(2).map(|e| (e.thread.as_str(), e.op)).collect();
    assert_eq!(
        order[..3],
        [("t0", Op::Load), ("t1", Op::Load), ("t0", Op::Store)],
        "both threads read flag == 0 before either sets it"
    );
    // The same trace failing for another reason keeps loom's order.
    let mut wrong = numbered(trace);
    assert!(!sc_order(&mut wrong, Why::Wrong));
}

#[test]
fn a_consistent_trace_and_a_weak_one_stay_as_they_ran() {
    let mut trace = numbered(vec![
        seq_cst(load("t0", "x", "0")),
        seq_cst(store("t0", "x", "1")),
        seq_cst(load("t1", "x", "1")),
    ]);
    assert!(!sc_order(&mut trace, Why::Wrong));
    // Store buffering: both loads read 0, which no SeqCst order allows.
    let mut trace = numbered(vec![
        seq_cst(store("t0", "x", "1")),
        seq_cst(load("t0", "y", "0")),
        seq_cst(store("t1", "y", "1")),
        seq_cst(load("t1", "x", "0")),
        seq_cst(load("main", "x", "1")),
    ]);
    let before = trace.clone();
    assert!(!sc_order(&mut trace, Why::Wrong));
    assert_eq!(trace, before);
}

#[test]
fn store_buffering_on_seq_cst_atomics_is_beyond_seq_cst_and_on_relaxed_ones_is_not() {
    let sb = |ordering: &str| {
        let with = |mut e: Event| {
            e.ordering = Some(ordering.into());
            e
        };
        numbered(vec![
            with(store("t0", "x", "1")),
            with(load("t0", "y", "0")),
            with(store("t1", "y", "1")),
            with(load("t1", "x", "0")),
        ])
    };
    assert!(beyond_seq_cst(&sb("SeqCst")), "no SeqCst machine reads both zeros");
    assert!(
        !beyond_seq_cst(&sb("Relaxed")),
        "Relaxed allows it: real weak behaviour"
    );
    // An interleaving is within SeqCst.
    let mut ran = sb("SeqCst");
    ran[3].read = Some("1".into());
    assert!(!beyond_seq_cst(&ran));
}

#[test]
fn relaxed_accesses_move_too_when_a_sequentially_consistent_order_exists() {
    let relaxed = |mut e: Event| {
        e.ordering = Some("Relaxed".into());
        e
    };
    let mut trace = numbered(vec![relaxed(store("t0", "x", "1")), relaxed(load("t1", "x", "0"))]);
    assert!(sc_order(&mut trace, Why::Wrong));
    assert_eq!(trace[0].thread, "t1", "the load came first");
    // Message passing that reads the flag but not the data: weak, stays.
    let mut trace = numbered(vec![
        relaxed(store("t0", "data", "1")),
        relaxed(store("t0", "flag", "1")),
        relaxed(load("t1", "flag", "1")),
        relaxed(load("t1", "data", "0")),
    ]);
    assert!(!sc_order(&mut trace, Why::Wrong));
}
