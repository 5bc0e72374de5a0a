//! b04: "Acquire/Release (or even SeqCst) makes my load-then-store safe."
//!
//! Source: the users.rust-lang.org thread "Atomic ordering and memory
//! fence" (<https://users.rust-lang.org/t/atomic-ordering-and-memory-fence/66900>).
//! The asker updated a shared atomic with a load and a later store, with
//! `Acquire`/`Release` orderings and fences, believing the orderings keep
//! other threads out in between. The stored copy of the thread keeps the
//! reply, not the asker's post; the reply (the teacher's explanation):
//! "Beware, your code is probably not doing what you intended it to do.
//! Acquire and Release pertain to guarantees about re-ordering with respect
//! to the following and the preceding reads/writes. Nothing guarantees that
//! another thread doesn't jump in and do its own write in the meantime. [...]
//! FWIW, using SeqCst wouldn't help here, either, for the same reason." and
//! it shows the asker's pattern failing with this program, which is what is
//! transcribed here:
//!
//! ```rust,ignore
//! fn racy() {
//!     for _ in 0..1_000_000 {
//!         let x1 = X.load(SeqCst);
//!         let x2 = X.load(SeqCst);
//!         assert_eq!(x1, x2);
//!         X.store(x2 + 1, SeqCst);
//!     }
//! }
//! // main: two threads run `racy`, main joins both.
//! ```
//!
//! Transcription: `X` an `AtomicUsize`, two threads `t1`, `t2`, two rounds
//! each (1_000_000 scaled down); the threads' `assert_eq!` is kept, so a
//! failing execution is a `panic`.
//!
//! The bad execution I expect: `t1` reads `X -> 0`, `t2` runs a whole round
//! (`load 0`, `load 0`, `store X <- 1`), `t1` reads `X -> 1`: `x1 != x2`,
//! the assertion fails.
//!
//! **Teacher marks** (1 per backend):
//! - the thread's second `load X` that reads the other thread's store:
//!   `atomicity_violation`, "reads t2's write of step N, not what this
//!   thread read at step M: the two loads (and the store after them) were
//!   meant as one, and t2's store landed between them". A mark on t2's
//!   `store X` naming the two loads it split is lenient; `stale_check` on
//!   the second load (acts on the first load, which t2 changed) is accepted
//!   as strict too.
//! - If racelab shows instead an execution in which both threads pass the
//!   assertion on the same value and one store overwrites the other (final
//!   `X` short of 4, a forbidden outcome, no panic), that is the same bug
//!   (the reply: "you can trivially have a race condition"), and the one
//!   teacher mark is `lost_update` on the overwriting `store X`, naming the
//!   overwritten store.
//!
//! No mark belongs on: the undisturbed round of the other thread, the
//! setup, the joins.
//!
//! Control: the reply's point is that the three steps must be one; with
//! another primitive than an atomic read-modify-write: a `Mutex<()>` held
//! across the two loads and the store.

use racelab::explore::{FailureKind, Scenario};
use racelab::sync::atomic::{AtomicUsize, Ordering::SeqCst};
use racelab::sync::{thread, Arc, Mutex};

use super::common;

const ROUNDS: usize = 2;

fn racy() -> Scenario<usize> {
    Scenario::new("blind9b::b04_two_loads_then_store", || {
        let x = Arc::new(AtomicUsize::new(0).named("X"));
        let handles: Vec<_> = ["t1", "t2"]
            .into_iter()
            .map(|name| {
                let x = Arc::clone(&x);
                thread::Builder::new()
                    .name(name)
                    .spawn(move || {
                        for _ in 0..ROUNDS {
                            let x1 = x.load(SeqCst);
                            let x2 = x.load(SeqCst);
                            assert_eq!(x1, x2);
                            x.store(x2 + 1, SeqCst);
                        }
                    })
                    .unwrap()
            })
            .collect();
        for h in handles {
            h.join().unwrap();
        }
        x.load(SeqCst)
    })
    .expect_only(2 * ROUNDS)
}

fn fixed_mutex() -> Scenario<usize> {
    Scenario::new("blind9b::b04_fix_mutex", || {
        let x = Arc::new(AtomicUsize::new(0).named("X"));
        let lock = Arc::new(Mutex::new(()).named("lock"));
        let handles: Vec<_> = ["t1", "t2"]
            .into_iter()
            .map(|name| {
                let x = Arc::clone(&x);
                let lock = Arc::clone(&lock);
                thread::Builder::new()
                    .name(name)
                    .spawn(move || {
                        for _ in 0..ROUNDS {
                            let _g = lock.lock().unwrap();
                            let x1 = x.load(SeqCst);
                            let x2 = x.load(SeqCst);
                            assert_eq!(x1, x2);
                            x.store(x2 + 1, SeqCst);
                        }
                    })
                    .unwrap()
            })
            .collect();
        for h in handles {
            h.join().unwrap();
        }
        x.load(SeqCst)
    })
    .expect_only(2 * ROUNDS)
}

/// Either face of the race is a right verdict: the assertion's panic, or a
/// lost store (a forbidden final count).
fn assert_either(report: &racelab::explore::Report) {
    report.assert_racy(None);
    let kind = report.failure.as_ref().map(|f| f.kind);
    assert!(
        matches!(kind, Some(FailureKind::Panic | FailureKind::ForbiddenOutcome)),
        "expected a panic or a forbidden outcome, got {kind:?}"
    );
}

#[test]
fn racy_loom() {
    assert_either(&common::explore(&racy(), &common::loom()));
}

#[test]
fn racy_shuttle() {
    assert_either(&common::explore(&racy(), &common::shuttle()));
}

#[test]
fn fix_holds() {
    for explorer in [common::loom(), common::shuttle()] {
        common::explore(&fixed_mutex(), &explorer).assert_holds();
    }
}
