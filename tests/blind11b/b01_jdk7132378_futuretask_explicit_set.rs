//! # OpenJDK JDK-7132378: "Race in FutureTask if used with explicit set (not Runnable)"
//!
//! **Source.** OpenJDK bug JDK-7132378
//! (<https://bugs.openjdk.org/browse/JDK-7132378>), regression test
//! `test/jdk/java/util/concurrent/FutureTask/ExplicitSet.java` (`@bug 7132378`,
//! Chris Hegarty, 2012): a subclass of `FutureTask` whose `set()` is called
//! directly by one thread while another thread blocks in `get()`;
//! `check(task.get() != null)` failed. JDK 7's `FutureTask.Sync.innerSet`:
//!
//! ```java
//! if (compareAndSetState(s, RAN)) {   // state is volatile
//!     result = v;                     // plain field
//!     releaseShared(0);
//! ```
//!
//! and `get()` returns as soon as `tryAcquireShared` sees `RAN` (with no
//! runner, as here) and reads `result`. JDK 8's rewrite fixed it with a
//! transient state: `NEW -> COMPLETING`, write `outcome`, then an ordered
//! store of `NORMAL` ("state may take on transient values of COMPLETING
//! (while outcome is being set)").
//!
//! **The program.** `main` calls `set(true)` on a task; thread `getter` calls
//! `get()`, which returns at once if the state already says `RAN`, else parks
//! on a semaphore that `releaseShared` releases. `result` is an `UnsafeCell`
//! (the plain Java field); `state` an atomic (the volatile int, `SeqCst`).
//!
//! **The bug.** An order violation: the state is flipped to `RAN` *before*
//! the result is written, so `get()` can see `RAN` and read `result` while it
//! is still unset (`null` in Java, `None` here). Under loom the read of
//! `result` is also unordered with its write: a data race.
//!
//! **Teacher marks** (written before the first run):
//! 1. `main`'s `compare_exchange state 0 -> 2` (the CAS to `RAN`): kind
//!    `order_violation` (or `stale_check`, "the flag set too early"):
//!    "announces RAN before `result` is written (the write comes after it)".
//! 2. `getter`'s `read result`: on loom kind `data_race` ("races with main's
//!    `write result`"); on shuttle kind `stale_check` / `order_violation`:
//!    "reads the result that `state` announced, before main writes it".
//!
//! No mark belongs on: the spawn, `getter`'s `load state -> 2` (a correct read
//! of a volatile), the semaphore release/acquire, main's `load state -> 0`
//! before its CAS, the join.
//!
//! **Controls.** (a) JDK 8's protocol: CAS to `COMPLETING`, write the
//! outcome, `Release` store of `NORMAL`, `Acquire` loads in `get()`.
//! (b) A `Mutex<Option<bool>>` and a `Condvar`: another primitive.

use racelab::explore::{FailureKind, Scenario};
use racelab::sync::atomic::{AtomicU32, Ordering};
use racelab::sync::cell::UnsafeCell;
use racelab::sync::{thread, Arc, Condvar, Mutex, Semaphore};

use crate::common;

const READY: u32 = 0;
const RAN: u32 = 2;

/// JDK 7's `FutureTask.Sync`, reduced to what `set` and `get` touch.
struct Sync7 {
    state: AtomicU32,
    result: UnsafeCell<Option<bool>>,
    released: Semaphore,
}

// SAFETY: none; this is the bug. `result` is written and read with nothing
// ordering the two, exactly as the JDK 7 field was; loom checks it.
unsafe impl Sync for Sync7 {}

impl Sync7 {
    fn new() -> Self {
        Sync7 {
            state: AtomicU32::new(READY).named("state"),
            result: UnsafeCell::new(None).named("result"),
            released: Semaphore::new(0).named("released"),
        }
    }

    /// `innerSet(v)`.
    fn set(&self, v: bool) {
        loop {
            let s = self.state.load(Ordering::SeqCst);
            if s == RAN {
                return;
            }
            if self
                .state
                .compare_exchange(s, RAN, Ordering::SeqCst, Ordering::SeqCst)
                .is_ok()
            {
                self.result.with_mut(|p| unsafe { *p = Some(v) });
                self.released.release(); // releaseShared(0)
                return;
            }
        }
    }

    /// `innerGet()`: `acquireSharedInterruptibly(0)`, then `return result`.
    fn get(&self) -> Option<bool> {
        if self.state.load(Ordering::SeqCst) != RAN {
            self.released.acquire(); // park until releaseShared
        }
        self.result.with(|p| unsafe { *p })
    }
}

fn racy() -> Scenario<String> {
    Scenario::new("b01::futuretask_explicit_set", || {
        let task = Arc::new(Sync7::new());
        let t = Arc::clone(&task);
        let getter = thread::Builder::new().name("getter").spawn(move || t.get()).unwrap();
        task.set(true);
        let got = getter.join().unwrap();
        format!("get() = {got:?}")
    })
    .expect_only("get() = Some(true)".to_string())
}

const NEW: u32 = 0;
const COMPLETING: u32 = 1;
const NORMAL: u32 = 2;

/// JDK 8's `FutureTask`: the outcome is written while the state says
/// `COMPLETING`, and `NORMAL` is published with a release store.
struct Task8 {
    state: AtomicU32,
    outcome: UnsafeCell<Option<bool>>,
    released: Semaphore,
}

// SAFETY: `outcome` is written once between the CAS to COMPLETING and the
// Release store of NORMAL; it is read only after an Acquire load saw NORMAL.
unsafe impl Sync for Task8 {}

impl Task8 {
    fn set(&self, v: bool) {
        if self
            .state
            .compare_exchange(NEW, COMPLETING, Ordering::SeqCst, Ordering::SeqCst)
            .is_ok()
        {
            self.outcome.with_mut(|p| unsafe { *p = Some(v) });
            self.state.store(NORMAL, Ordering::Release); // putOrderedInt
            self.released.release(); // finishCompletion: unpark waiters
        }
    }

    fn get(&self) -> Option<bool> {
        while self.state.load(Ordering::Acquire) <= COMPLETING {
            self.released.acquire();
        }
        self.outcome.with(|p| unsafe { *p })
    }
}

fn fixed_jdk8() -> Scenario<String> {
    Scenario::new("b01::futuretask_jdk8_completing", || {
        let task = Arc::new(Task8 {
            state: AtomicU32::new(NEW).named("state"),
            outcome: UnsafeCell::new(None).named("outcome"),
            released: Semaphore::new(0).named("released"),
        });
        let t = Arc::clone(&task);
        let getter = thread::Builder::new().name("getter").spawn(move || t.get()).unwrap();
        task.set(true);
        let got = getter.join().unwrap();
        format!("get() = {got:?}")
    })
    .expect_only("get() = Some(true)".to_string())
}

fn fixed_monitor() -> Scenario<String> {
    Scenario::new("b01::futuretask_monitor", || {
        let cell = Arc::new((Mutex::new(None::<bool>).named("result"), Condvar::new().named("done")));
        let c = Arc::clone(&cell);
        let getter = thread::Builder::new()
            .name("getter")
            .spawn(move || {
                let (result, done) = &*c;
                let mut g = result.lock().unwrap();
                while g.is_none() {
                    g = done.wait(g).unwrap();
                }
                *g
            })
            .unwrap();
        {
            let (result, done) = &*cell;
            let mut g = result.lock().unwrap();
            if g.is_none() {
                *g = Some(true);
            }
            done.notify_all();
        }
        let got = getter.join().unwrap();
        format!("get() = {got:?}")
    })
    .expect_only("get() = Some(true)".to_string())
}

#[test]
fn racy_loom() {
    common::explore(&racy(), &common::loom()).assert_racy(Some(FailureKind::DataRace));
}

#[test]
fn racy_shuttle() {
    common::explore(&racy(), &common::shuttle()).assert_racy(Some(FailureKind::ForbiddenOutcome));
}

#[test]
fn control_jdk8_loom() {
    common::explore(&fixed_jdk8(), &common::loom()).assert_holds();
}

#[test]
fn control_jdk8_shuttle() {
    common::explore(&fixed_jdk8(), &common::shuttle()).assert_holds();
}

#[test]
fn control_monitor_loom() {
    common::explore(&fixed_monitor(), &common::loom()).assert_holds();
}

#[test]
fn control_monitor_shuttle() {
    common::explore(&fixed_monitor(), &common::shuttle()).assert_holds();
}
