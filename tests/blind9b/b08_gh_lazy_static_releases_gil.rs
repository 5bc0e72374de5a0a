//! b08: a lazy static whose initialiser lets go of the lock its callers
//! hold (the GIL), and takes it back.
//!
//! Source: a user's report of his own deadlock, lazy-static.rs issue #116,
//! "lazy_static without locks?"
//! (<https://github.com/rust-lang-nursery/lazy-static.rs/issues/116>). His
//! code: `lazy_static! { pub static ref PyDateTimeAPI: PyDateTime_CAPI =
//! unsafe { PyDateTime_IMPORT() }; }`, read only by threads that hold
//! Python's global interpreter lock; but `PyDateTime_IMPORT()` releases the
//! GIL and re-acquires it. His own trace of the deadlock (the teacher's
//! explanation):
//!
//! > Thread 1 Acquires GIL; Thread 2 Blocks on GIL; Thread 1 Acquires
//! > `lazy_static` lock; Thread 1 calls import, which releases the GIL;
//! > Thread 2 Acquires GIL; Thread 2 blocks on `lazy_static` lock; Thread 1
//! > completes `import` call and blocks on GIL.
//!
//! Two locks taken in opposite orders: thread 1 holds the lazy static's
//! initialisation and wants the GIL back; thread 2 holds the GIL and waits
//! for the initialisation to finish.
//!
//! Transcription: the GIL is a `Mutex<()>` named `GIL`; the lazy static is
//! a `OnceLock<u32>` named `PyDateTimeAPI` (`get_or_init` blocks callers
//! while another thread initialises, as `lazy_static`'s `Once` does); the
//! import releases the caller's GIL guard and locks the GIL again before it
//! returns. Threads `t1`, `t2` each take the GIL, read the API, let the GIL
//! go. Outcome: the two values read.
//!
//! Expected verdict: `deadlock` (in the executions that follow the trace
//! above; others finish).
//!
//! **Teacher marks** (1 per backend): the cycle, on the initialising
//! thread's re-`lock GIL` inside the import (or on the other thread's wait
//! for `PyDateTimeAPI`, either end): `deadlock`, "t1 (initialising
//! `PyDateTimeAPI`) waits for the GIL, held by t2 since step N; t2 waits for
//! `PyDateTimeAPI`, which only t1 can finish". Text that names the GIL and
//! the lazy static but not who holds what is lenient.
//!
//! No mark belongs on: the first `lock GIL` of each thread, the import's
//! release of the GIL (that is the library's contract, not a race by
//! itself), the joins.
//!
//! Controls: initialise the static before taking the GIL (so no thread
//! holds the GIL while it waits for the initialisation); and the reporter's
//! own wish, "lazy_static without locks": no lock around the import, the
//! value published with a compare-exchange on an `AtomicU32` (whoever
//! loses the race drops its identical value).

use racelab::explore::{FailureKind, Scenario};
use racelab::sync::atomic::{
    AtomicU32,
    Ordering::{AcqRel, Acquire},
};
use racelab::sync::{thread, Arc, Mutex, OnceLock};

use super::common;

const API: u32 = 7;

struct Python {
    gil: Mutex<()>,
    datetime_api: OnceLock<u32>,
}

fn racy() -> Scenario<String> {
    Scenario::new("blind9b::b08_lazy_static_releases_gil", || {
        let py = Arc::new(Python {
            gil: Mutex::new(()).named("GIL"),
            datetime_api: OnceLock::new().named("PyDateTimeAPI"),
        });
        let handles: Vec<_> = ["t1", "t2"]
            .into_iter()
            .map(|name| {
                let py = Arc::clone(&py);
                thread::Builder::new()
                    .name(name)
                    .spawn(move || {
                        let mut gil = Some(py.gil.lock().unwrap());
                        let api = *py.datetime_api.get_or_init(|| {
                            // PyDateTime_IMPORT(): releases the GIL ...
                            drop(gil.take());
                            let imported = API;
                            // ... and re-acquires it before returning.
                            gil = Some(py.gil.lock().unwrap());
                            imported
                        });
                        drop(gil);
                        api
                    })
                    .unwrap()
            })
            .collect();
        let seen: Vec<String> = handles.into_iter().map(|h| h.join().unwrap().to_string()).collect();
        seen.join(",")
    })
    .expect_only(format!("{API},{API}"))
}

/// Control: initialise the lazy static before taking the GIL.
fn fixed_init_outside_gil() -> Scenario<String> {
    Scenario::new("blind9b::b08_fix_init_outside_gil", || {
        let py = Arc::new(Python {
            gil: Mutex::new(()).named("GIL"),
            datetime_api: OnceLock::new().named("PyDateTimeAPI"),
        });
        let handles: Vec<_> = ["t1", "t2"]
            .into_iter()
            .map(|name| {
                let py = Arc::clone(&py);
                thread::Builder::new()
                    .name(name)
                    .spawn(move || {
                        let api = *py.datetime_api.get_or_init(|| {
                            // The import takes the GIL itself, briefly.
                            let _gil = py.gil.lock().unwrap();
                            API
                        });
                        let _gil = py.gil.lock().unwrap();
                        api
                    })
                    .unwrap()
            })
            .collect();
        let seen: Vec<String> = handles.into_iter().map(|h| h.join().unwrap().to_string()).collect();
        seen.join(",")
    })
    .expect_only(format!("{API},{API}"))
}

/// Control: "lazy_static without locks": racy initialisation, published by
/// a compare-exchange (0 = not yet).
fn fixed_lock_free_init() -> Scenario<String> {
    Scenario::new("blind9b::b08_fix_lock_free_init", || {
        let gil = Arc::new(Mutex::new(()).named("GIL"));
        let api_cell = Arc::new(AtomicU32::new(0).named("PyDateTimeAPI"));
        let handles: Vec<_> = ["t1", "t2"]
            .into_iter()
            .map(|name| {
                let gil = Arc::clone(&gil);
                let api_cell = Arc::clone(&api_cell);
                thread::Builder::new()
                    .name(name)
                    .spawn(move || {
                        let mut guard = Some(gil.lock().unwrap());
                        let mut api = api_cell.load(Acquire);
                        if api == 0 {
                            drop(guard.take()); // the import releases the GIL ...
                            let imported = API;
                            guard = Some(gil.lock().unwrap()); // ... and takes it back
                            api = match api_cell.compare_exchange(0, imported, AcqRel, Acquire) {
                                Ok(_) => imported,
                                Err(already) => already,
                            };
                        }
                        drop(guard);
                        api
                    })
                    .unwrap()
            })
            .collect();
        let seen: Vec<String> = handles.into_iter().map(|h| h.join().unwrap().to_string()).collect();
        seen.join(",")
    })
    .expect_only(format!("{API},{API}"))
}

#[test]
fn racy_loom() {
    let report = common::explore(&racy(), &common::loom());
    report.assert_racy(Some(FailureKind::Deadlock));
}

#[test]
fn racy_shuttle() {
    let report = common::explore(&racy(), &common::shuttle());
    report.assert_racy(Some(FailureKind::Deadlock));
}

#[test]
fn fixes_hold() {
    for explorer in [common::loom(), common::shuttle()] {
        common::explore(&fixed_init_outside_gil(), &explorer).assert_holds();
        common::explore(&fixed_lock_free_init(), &explorer).assert_holds();
    }
}
