//! The explorer names each kind of failure, with the trace of the execution
//! that showed it, and leaves the process as it found it.

use racelab::explore::{Explorer, FailureKind, Grade, Scenario};
use racelab::sync::{self, thread, Arc, Mutex};

fn model_explorers() -> Vec<Explorer> {
    let mut v = Vec::new();
    if sync::Backend::Shuttle.is_available() {
        v.push(Explorer::shuttle().with_budget(200));
    }
    if sync::Backend::Loom.is_available() {
        v.push(Explorer::loom());
    }
    v
}

/// Two threads take two locks in opposite orders.
fn two_lock_deadlock() -> Scenario<u32> {
    Scenario::new("deadlock", || {
        let a = Arc::new(Mutex::new(0u32).named("A"));
        let b = Arc::new(Mutex::new(0u32).named("B"));
        let (a2, b2) = (Arc::clone(&a), Arc::clone(&b));
        let t = thread::Builder::new()
            .name("bob")
            .spawn(move || {
                let _b = b2.lock().unwrap();
                let _a = a2.lock().unwrap();
            })
            .unwrap();
        {
            let _a = a.lock().unwrap();
            let _b = b.lock().unwrap();
        }
        t.join().unwrap();
        0
    })
}

#[test]
fn a_two_lock_deadlock_is_reported_as_a_deadlock_not_a_hang() {
    for explorer in model_explorers() {
        let report = two_lock_deadlock().explore(&explorer).unwrap();
        report.assert_racy(Some(FailureKind::Deadlock));
        let trace = &report.failure.as_ref().unwrap().trace;
        let blocked: Vec<_> = trace.iter().filter(|e| e.op == racelab::trace::Op::Blocked).collect();
        assert_eq!(
            blocked.len(),
            2,
            "{:?}: both threads end blocked\n{}",
            explorer.backend(),
            report.render(false)
        );
    }
}

#[test]
fn a_panic_in_the_scenario_is_reported_as_a_panic() {
    let boom = Scenario::new("boom", || -> u32 { panic!("boom") });
    for explorer in model_explorers()
        .into_iter()
        .chain([Explorer::hardware().with_budget(3)])
    {
        let report = boom.explore(&explorer).unwrap();
        report.assert_racy(Some(FailureKind::Panic));
        assert!(report.failure.unwrap().message.contains("boom"));
    }
}

#[test]
fn a_thread_panic_on_hardware_keeps_its_own_message() {
    let boom = Scenario::new("thread boom", || -> u32 {
        let t = thread::Builder::new()
            .name("bob")
            .spawn(|| -> u32 { panic!("boom {}", 42) })
            .unwrap();
        t.join().unwrap()
    });
    let report = boom.explore(&Explorer::hardware().with_budget(3)).unwrap();
    report.assert_racy(Some(FailureKind::Panic));
    let message = report.failure.unwrap().message;
    assert!(message.contains("thread 'bob' panicked: boom 42"), "{message}");
}

#[test]
fn a_spin_loop_that_never_yields_hits_the_step_limit() {
    // bob waits for a flag alice never sets, re-reading it forever.
    let spin = Scenario::new("spin", || {
        let flag = Arc::new(sync::atomic::AtomicBool::new(false));
        let f = Arc::clone(&flag);
        let t = thread::Builder::new()
            .name("bob")
            .spawn(move || while !f.load(sync::atomic::Ordering::Acquire) {})
            .unwrap();
        t.join().unwrap();
        0u32
    });
    for explorer in model_explorers() {
        let report = spin.explore(&explorer).unwrap();
        report.assert_racy(Some(FailureKind::StepLimit));
    }
}

#[cfg(feature = "loom")]
#[test]
fn unsynchronised_cell_writes_are_a_data_race_under_loom() {
    use racelab::sync::cell::UnsafeCell;
    struct Shared(UnsafeCell<u32>);
    // SAFETY: not sound, on purpose: this is the data race loom must catch.
    unsafe impl Sync for Shared {}
    let race = Scenario::new("race", || {
        let cell = Arc::new(Shared(UnsafeCell::new(0).named("data")));
        let c = Arc::clone(&cell);
        // SAFETY: the writes race; loom stops the execution before it matters.
        let t = thread::spawn(move || c.0.with_mut(|p| unsafe { *p = 1 }));
        cell.0.with_mut(|p| unsafe { *p = 2 });
        t.join().unwrap();
        0u32
    });
    let report = race.explore(&Explorer::loom()).unwrap();
    report.assert_racy(Some(FailureKind::DataRace));
}

#[test]
fn outcomes_are_graded_by_the_scenarios_rule() {
    let s = Scenario::new("graded", || 7u32).expect("an even number", |n| {
        if n % 2 == 0 {
            Grade::Acceptable
        } else {
            Grade::Forbidden
        }
    });
    let report = s.explore(&Explorer::hardware().with_budget(2)).unwrap();
    assert_eq!(report.outcomes.len(), 1);
    assert_eq!(report.outcomes[0].grade, Grade::Forbidden);
    assert_eq!(report.outcomes[0].count, 2);
    report.assert_racy(Some(FailureKind::ForbiddenOutcome));
}

/// Two threads add to one `i64`: through `std`'s atomic the models see no
/// sharing at all, so the exploration is vacuous, not a pass; through the
/// facade's it is explored and holds.
#[cfg(all(feature = "loom", feature = "shuttle"))]
#[test]
fn std_atomics_are_vacuous_and_the_facades_i64_is_explored() {
    use racelab::explore::{Explorer, FailureKind, Scenario};
    let std_i64 = Scenario::new("std AtomicI64", || {
        let n = std::sync::Arc::new(std::sync::atomic::AtomicI64::new(0));
        let m = std::sync::Arc::clone(&n);
        let t = racelab::sync::thread::spawn(move || {
            m.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
        });
        n.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
        t.join().unwrap();
        n.load(std::sync::atomic::Ordering::SeqCst)
    })
    .expect_only(2);
    let facade_i64 = Scenario::new("racelab AtomicI64", || {
        use racelab::sync::atomic::{AtomicI64, Ordering::SeqCst};
        let n = racelab::sync::Arc::new(AtomicI64::new(0));
        let m = racelab::sync::Arc::clone(&n);
        let t = racelab::sync::thread::spawn(move || {
            m.fetch_add(1, SeqCst);
        });
        n.fetch_add(1, SeqCst);
        t.join().unwrap();
        n.load(SeqCst)
    })
    .expect_only(2);
    for explorer in [Explorer::loom(), Explorer::shuttle()] {
        let report = explorer.explore(&std_i64).expect("backend in the build");
        assert_eq!(
            report.failure.as_ref().map(|f| f.kind),
            Some(FailureKind::Vacuous),
            "{report:?}"
        );
        let report = explorer.explore(&facade_i64).expect("backend in the build");
        assert!(report.holds(), "{report:?}");
    }
}

/// bob spins on a `std` atomic: the model never sees it, never switches to
/// alice, and would wait for ever. The exploration is reported stuck in
/// code the model cannot see (a `time limit`), not waited for.
#[test]
fn a_loop_the_model_cannot_see_is_reported_not_waited_for() {
    use std::sync::atomic::{AtomicBool, Ordering};
    // Lets the stuck thread go once the report is in (a user's loop would
    // spin until the process exits).
    static GIVE_UP: AtomicBool = AtomicBool::new(false);
    let spin = Scenario::new("std spin", || {
        let flag = Arc::new(AtomicBool::new(false));
        let f = Arc::clone(&flag);
        let bob = thread::Builder::new()
            .name("bob")
            .spawn(move || while !f.load(Ordering::Acquire) && !GIVE_UP.load(Ordering::Relaxed) {})
            .unwrap();
        let alice = thread::Builder::new()
            .name("alice")
            .spawn(move || flag.store(true, Ordering::Release))
            .unwrap();
        bob.join().unwrap();
        alice.join().unwrap();
        0u32
    });
    for explorer in model_explorers() {
        GIVE_UP.store(false, Ordering::Relaxed);
        let explorer = explorer.with_stall_limit(std::time::Duration::from_millis(500));
        let report = spin.explore(&explorer).unwrap();
        GIVE_UP.store(true, Ordering::Relaxed);
        report.assert_racy(Some(FailureKind::TimeLimit));
        let message = report.failure.unwrap().message;
        assert!(message.contains("code the model cannot see"), "{message}");
    }
}

/// A scenario that starts its thread with `std::thread::spawn`: that thread
/// is outside the model, and its use of a modelled lock fails. The report
/// names the cause, not `join().unwrap()`'s `Any { .. }`.
#[test]
fn a_std_thread_inside_the_model_is_named_as_the_cause() {
    let s = Scenario::new("std thread", || {
        let m = Arc::new(Mutex::new(0u32).named("m"));
        let m2 = Arc::clone(&m);
        let t = std::thread::spawn(move || *m2.lock().unwrap() += 1);
        *m.lock().unwrap() += 1;
        t.join().unwrap();
        let v = *m.lock().unwrap();
        v
    });
    for explorer in model_explorers() {
        let report = s.explore(&explorer).unwrap();
        report.assert_racy(Some(FailureKind::Panic));
        let message = report.failure.unwrap().message;
        assert!(message.contains("racelab::sync::thread::spawn"), "{message}");
    }
}

#[test]
fn a_debug_only_outcome_wrapped_in_shown_is_tabled_with_its_debug_text() {
    use racelab::explore::Shown;
    let scenario = Scenario::new("pair", || {
        let seen = Arc::new(Mutex::new(0u32).named("seen"));
        let s = Arc::clone(&seen);
        let t = thread::spawn(move || *s.lock().unwrap() += 1);
        let before = *seen.lock().unwrap();
        t.join().unwrap();
        let after = *seen.lock().unwrap();
        Shown((before, after))
    })
    .expect("the count ends at 1", |o: &Shown<(u32, u32)>| {
        if o.1 == 1 {
            Grade::Acceptable
        } else {
            Grade::Forbidden
        }
    });
    for explorer in model_explorers() {
        let report = scenario.explore(&explorer).expect("backend in this build");
        assert!(report.failure.is_none(), "{}", report.render(false));
        let text = report.render(false);
        assert!(text.contains("  (0, 1) "), "{text}");
    }
}
