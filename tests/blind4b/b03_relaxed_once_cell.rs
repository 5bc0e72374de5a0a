//! A hand-rolled lazy initialiser ("my own `Once`, because `OnceLock` was
//! too new for our MSRV"): a three-state `AtomicU8` (empty, running, ready)
//! and the value in an `UnsafeCell`. The first caller claims the slot with
//! `compare_exchange(EMPTY, RUNNING)`, writes the value, and stores `READY`;
//! the others spin until they see `READY`, then read the value.
//!
//! The bug: every access is `Relaxed`. Seeing `READY` through a `Relaxed`
//! load does not synchronise with the `Relaxed` store of `READY`, so the
//! initialiser's write to the cell does not happen-before the waiter's read:
//! a data race (the waiter may read the cell before the value lands). Only
//! a weak-memory model (loom) can see it; shuttle runs every atomic as SeqCst.
//!
//! Teacher marks (written before looking at racelab's marks):
//! 1. the waiting thread's read of `value` (the cell read after its spin):
//!    **data race**, with the initialiser's write of `value`.
//!    Lenient: the data-race mark on the initialiser's write instead.
//! 2. the waiting thread's `load state -> 2` (Relaxed) that ended its spin:
//!    **missing synchronisation** (no_sync): a Relaxed load does not
//!    synchronise with the store of READY (should be Acquire).
//!    Lenient: the no_sync mark on the initialiser's `store state <- 2`
//!    (Relaxed, should be Release).
//!
//! Spurious: lost update, stale check, ABA, a mark on the claiming
//! `compare_exchange` (Relaxed is fine there: it only picks the winner),
//! or on the spinning loads that read 1.
//!
//! Shuttle's verdict: holds (it cannot see weak-memory races; documented).

use racelab::explore::{Explorer, Scenario};
use racelab::sync::atomic::{AtomicU8, Ordering};
use racelab::sync::cell::UnsafeCell;
use racelab::sync::{hint, thread, Arc, OnceLock};

use crate::common::{expect_bug, expect_holds};

const EMPTY: u8 = 0;
const RUNNING: u8 = 1;
const READY: u8 = 2;

struct Lazy {
    state: AtomicU8,
    value: UnsafeCell<u64>,
    // Acquire/Release in the fixed version.
    load: Ordering,
    store: Ordering,
}

// SAFETY (claimed by the student): the value is written once, by the thread
// that won the compare_exchange, before READY is stored.
unsafe impl Sync for Lazy {}

impl Lazy {
    fn new(load: Ordering, store: Ordering) -> Self {
        Lazy {
            state: AtomicU8::new(EMPTY).named("state"),
            value: UnsafeCell::new(0).named("value"),
            load,
            store,
        }
    }

    fn get_or_init(&self, init: impl FnOnce() -> u64) -> u64 {
        if self
            .state
            .compare_exchange(EMPTY, RUNNING, Ordering::Relaxed, Ordering::Relaxed)
            .is_ok()
        {
            self.value.with_mut(|p| unsafe { *p = init() });
            self.state.store(READY, self.store);
        } else {
            while self.state.load(self.load) != READY {
                hint::spin_loop();
            }
        }
        self.value.with(|p| unsafe { *p })
    }
}

fn scenario(name: &str, load: Ordering, store: Ordering) -> Scenario<String> {
    Scenario::new(name, move || {
        let lazy = Arc::new(Lazy::new(load, store));
        let l = Arc::clone(&lazy);
        let other = thread::Builder::new()
            .name("loader")
            .spawn(move || l.get_or_init(|| 42))
            .unwrap();
        let mine = lazy.get_or_init(|| 42);
        let theirs = other.join().unwrap();
        format!("main={mine} loader={theirs}")
    })
    .expect_only("main=42 loader=42".to_string())
}

/// Another fix, with another primitive: std's `OnceLock` (the facade's).
fn oncelock_scenario() -> Scenario<String> {
    Scenario::new("b03::oncelock", || {
        let cell = Arc::new(OnceLock::new().named("config"));
        let c = Arc::clone(&cell);
        let other = thread::Builder::new()
            .name("loader")
            .spawn(move || *c.get_or_init(|| 42u64))
            .unwrap();
        let mine = *cell.get_or_init(|| 42u64);
        let theirs = other.join().unwrap();
        format!("main={mine} loader={theirs}")
    })
    .expect_only("main=42 loader=42".to_string())
}

fn racy() -> Scenario<String> {
    scenario("b03::relaxed_once", Ordering::Relaxed, Ordering::Relaxed)
}

#[test]
fn loom_finds_data_race() {
    expect_bug(&racy(), &Explorer::loom());
}

#[test]
fn shuttle_cannot_see_it() {
    // Documented: shuttle treats every atomic as SeqCst and does not check
    // UnsafeCell accesses, so "holds" is the right shuttle verdict here.
    expect_holds(&racy(), &Explorer::shuttle());
}

#[test]
fn loom_fix_holds() {
    let s = scenario("b03::acquire_release_once", Ordering::Acquire, Ordering::Release);
    expect_holds(&s, &Explorer::loom());
}

#[test]
fn shuttle_fix_holds() {
    let s = scenario("b03::acquire_release_once", Ordering::Acquire, Ordering::Release);
    expect_holds(&s, &Explorer::shuttle());
}

#[test]
fn loom_oncelock_holds() {
    expect_holds(&oncelock_scenario(), &Explorer::loom());
}

#[test]
fn shuttle_oncelock_holds() {
    expect_holds(&oncelock_scenario(), &Explorer::shuttle());
}
