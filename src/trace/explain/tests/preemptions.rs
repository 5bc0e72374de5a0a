//! Counting a trace's preemptions, on hand-written traces.

use super::*;

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
