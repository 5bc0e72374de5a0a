//! `racelab::model` on a user's own closures: a correct one returns quietly;
//! a racy one, a deadlocking one and one that shares only through std's
//! types panic, naming what went wrong, with the timeline and a replay key
//! that reproduces it; any `Debug + Eq + Hash` return value is taken.

use std::panic::{catch_unwind, AssertUnwindSafe};

use racelab::model::Builder;
use racelab::sync::atomic::{AtomicU64, Ordering::SeqCst};
use racelab::sync::{thread, Arc, Backend, Mutex};

/// What `f` panicked with.
fn panic_text(f: impl FnOnce()) -> String {
    let payload = catch_unwind(AssertUnwindSafe(f)).expect_err("model should have panicked");
    payload
        .downcast_ref::<String>()
        .cloned()
        .or_else(|| payload.downcast_ref::<&str>().map(|s| (*s).to_owned()))
        .unwrap_or_default()
}

/// Two threads each add one by a load and a store.
fn racy_counter() {
    let n = Arc::new(AtomicU64::new(0).named("n"));
    let m = Arc::clone(&n);
    let t = thread::Builder::new()
        .name("bob")
        .spawn(move || {
            let v = m.load(SeqCst);
            m.store(v + 1, SeqCst);
        })
        .unwrap();
    let v = n.load(SeqCst);
    n.store(v + 1, SeqCst);
    t.join().unwrap();
    assert_eq!(n.load(SeqCst), 2, "an increment was lost");
}

/// The replay key a failure message gives.
fn replay_key(message: &str) -> &str {
    message
        .lines()
        .find_map(|l| l.strip_prefix("replay key: "))
        .unwrap_or_else(|| panic!("no replay key in:\n{message}"))
}

#[test]
fn a_correct_two_thread_atomic_counter_passes() {
    racelab::model(|| {
        let n = Arc::new(AtomicU64::new(0));
        let m = Arc::clone(&n);
        let t = thread::spawn(move || {
            m.fetch_add(1, SeqCst);
        });
        n.fetch_add(1, SeqCst);
        t.join().unwrap();
        assert_eq!(n.load(SeqCst), 2);
    });
}

#[test]
fn a_racy_load_store_counter_panics_with_the_lost_update_timeline_and_a_replay_key() {
    let message = panic_text(|| racelab::model(racy_counter));
    assert!(message.contains("failed under "), "{message}");
    assert!(message.contains(": panic\n"), "{message}");
    assert!(message.contains("an increment was lost"), "{message}");
    assert!(message.contains(" step │"), "no timeline in:\n{message}");
    assert!(
        message.contains("is lost"),
        "the lost update is not marked in:\n{message}"
    );
    let key = replay_key(&message);
    assert!(key.starts_with("shuttle:") || key.starts_with("loom:"), "{key}");
}

#[test]
fn a_failures_replay_key_reproduces_it() {
    let key = replay_key(&panic_text(|| racelab::model(racy_counter))).to_owned();
    let replayed = panic_text(|| Builder::new().replay(key.clone()).check(racy_counter));
    assert!(replayed.contains("an increment was lost"), "{replayed}");
    assert_eq!(replay_key(&replayed), key);
}

#[test]
fn every_model_backend_in_the_build_finds_the_race() {
    for backend in [Backend::Shuttle, Backend::Loom] {
        if !backend.is_available() {
            continue;
        }
        let message = panic_text(|| Builder::new().backends(&[backend]).check(racy_counter));
        assert!(message.contains(&format!("failed under {backend}")), "{message}");
        assert!(replay_key(&message).starts_with(backend.name()), "{message}");
    }
}

#[test]
fn a_lock_order_deadlock_panics_as_a_deadlock() {
    let message = panic_text(|| {
        racelab::model(|| {
            let a = Arc::new(Mutex::new(0u32));
            let b = Arc::new(Mutex::new(0u32));
            let (a2, b2) = (Arc::clone(&a), Arc::clone(&b));
            let t = thread::spawn(move || {
                let _b = b2.lock().unwrap();
                let _a = a2.lock().unwrap();
            });
            {
                let _a = a.lock().unwrap();
                let _b = b.lock().unwrap();
            }
            t.join().unwrap();
        })
    });
    assert!(message.contains(": deadlock\n"), "{message}");
    assert!(message.contains("blocked on"), "no stuck threads in:\n{message}");
}

#[test]
fn sharing_only_through_std_atomics_is_vacuous_not_a_pass() {
    let message = panic_text(|| {
        racelab::model(|| {
            let n = std::sync::Arc::new(std::sync::atomic::AtomicI64::new(0));
            let m = std::sync::Arc::clone(&n);
            let t = thread::spawn(move || {
                m.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
            });
            n.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
            t.join().unwrap();
        })
    });
    assert!(message.contains(": vacuous\n"), "{message}");
}

#[test]
fn a_closure_returning_unit_is_accepted() {
    let reports = Builder::new().reports(|| {
        let n = Arc::new(Mutex::new(0u32));
        let m = Arc::clone(&n);
        let t = thread::spawn(move || *m.lock().unwrap() += 1);
        *n.lock().unwrap() += 1;
        t.join().unwrap();
    });
    assert!(!reports.is_empty());
    for r in &reports {
        assert!(r.holds(), "{}", r.render(false));
        assert_eq!(r.outcomes.len(), 1, "{}", r.render(false));
        assert_eq!(r.outcomes[0].outcome, "()");
    }
}

#[test]
fn a_closure_returning_a_tuple_is_accepted_and_its_values_counted() {
    let body = || -> (u32, Option<bool>) {
        let n = Arc::new(Mutex::new(0u32));
        let m = Arc::clone(&n);
        let t = thread::spawn(move || {
            let mut n = m.lock().unwrap();
            *n += 1;
            *n == 1
        });
        let first = {
            let mut n = n.lock().unwrap();
            *n += 1;
            *n == 1
        };
        let other_first = t.join().unwrap();
        let total = *n.lock().unwrap();
        (total, (first != other_first).then_some(first))
    };
    racelab::model(body);
    // loom runs every interleaving: both threads take the lock first in some.
    if Backend::Loom.is_available() {
        let reports = Builder::new().backends(&[Backend::Loom]).reports(body);
        let outcomes: Vec<&str> = reports[0].outcomes.iter().map(|o| o.outcome.as_str()).collect();
        assert!(outcomes.contains(&"(2, Some(true))"), "{outcomes:?}");
        assert!(outcomes.contains(&"(2, Some(false))"), "{outcomes:?}");
    }
}

#[test]
fn chosen_backends_run_alone_and_in_order() {
    let reports = Builder::new().backends(&[Backend::Hardware]).schedules(5).reports(|| {
        let n = Arc::new(AtomicU64::new(0));
        let m = Arc::clone(&n);
        thread::spawn(move || m.fetch_add(1, SeqCst)).join().unwrap()
    });
    assert_eq!(reports.len(), 1);
    assert_eq!(reports[0].backend, Backend::Hardware);
    assert_eq!(reports[0].executions, 5);
}
