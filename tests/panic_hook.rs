//! The panic hook is process-wide, so this test has a process of its own:
//! exploring a scenario that panics on purpose must neither print those
//! panics through the hook the program had, nor leave that hook replaced.

use std::sync::atomic::{AtomicUsize, Ordering::SeqCst};

use racelab::explore::{Explorer, Scenario};
use racelab::sync::{self, thread, Arc, Mutex};

fn model_explorers() -> Vec<Explorer> {
    let mut v = vec![Explorer::hardware().with_budget(2)];
    if sync::Backend::Shuttle.is_available() {
        v.push(Explorer::shuttle().with_budget(200));
    }
    if sync::Backend::Loom.is_available() {
        v.push(Explorer::loom());
    }
    v
}

/// Deadlocks under the models (a panic of the model checker's); on
/// hardware, where a deadlock would hang, it panics before taking a lock.
fn panics_on_purpose() -> Scenario<u32> {
    Scenario::new("panics", || {
        if sync::current_backend() == sync::Backend::Hardware {
            panic!("on purpose");
        }
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
        0
    })
}

#[test]
fn exploring_leaves_the_panic_hook_as_it_was() {
    static SEEN: AtomicUsize = AtomicUsize::new(0);
    let before = std::panic::take_hook();
    std::panic::set_hook(Box::new(|_| {
        SEEN.fetch_add(1, SeqCst);
    }));
    for explorer in model_explorers() {
        panics_on_purpose().explore(&explorer).unwrap();
    }
    // Our hook still sees panics after the runs (and saw none of theirs).
    let seen_during_runs = SEEN.load(SeqCst);
    let _ = std::panic::catch_unwind(|| panic!("after"));
    let ours = std::panic::take_hook();
    std::panic::set_hook(before);
    drop(ours);
    assert_eq!(seen_during_runs, 0, "expected panics were captured, not passed on");
    assert_eq!(SEEN.load(SeqCst), 1, "the hook installed before the runs is back");
}
