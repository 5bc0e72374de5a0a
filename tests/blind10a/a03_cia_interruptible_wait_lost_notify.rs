//! # The broken `interruptible_wait` (Williams §9.2.3, listing 9.10)
//!
//! **Source.** Anthony Williams, *C++ Concurrency in Action*, 2nd ed.,
//! §9.2.3 "Interrupting a condition variable wait", listing 9.10 "A broken
//! version of interruptible_wait for std::condition_variable", with
//! `interrupt_flag::set()` of listing 9.11 (`flag.store(true, relaxed);
//! lock_guard lk(set_clear_mutex); if(thread_cond) thread_cond->notify_all();`)
//! (<https://github.com/anthonywilliams/ccia_code_samples/blob/master/listings/listing_9.10.cpp>).
//! Williams: "if the thread is interrupted after the initial call to
//! interruption_point(), but before the call to wait(), then it doesn't
//! matter whether the condition variable has been associated with the
//! interrupt flag, because the thread isn't waiting and so can't be woken
//! by a notify on the condition variable. You need to ensure that the thread
//! can't be notified between the last check for interruption and the call to
//! wait()."
//!
//! **Program.** A worker waits, under mutex `data`, on condvar `cv` for data
//! that never comes; it waits through `interruptible_wait`: check the flag
//! (`interruption_point`), register `cv` with its interrupt flag under
//! `set_clear` (`set_condition_variable`), `cv.wait`, unregister, check the
//! flag again. main interrupts it (`flag <- true` Relaxed, then under
//! `set_clear`: if a condvar is registered, `notify_all`), then joins it.
//!
//! **Bug.** A lost wake-up: the interrupter does not hold `data`, so its
//! flag store and notify can fall between the worker's last check and its
//! `wait`. The worker then waits for ever, main waits in `join`: every
//! thread is blocked.
//!
//! **Teacher marks** (written before the first run). Two bad executions
//! exist, each with one preemption:
//! - (A) worker checks the flag (false) and registers; main stores the flag
//!   and, seeing the condvar registered, `notify_all`s; the worker then
//!   waits. Mark 1: main's `notify cv (all)`, kind `lost_wakeup`: "notifies
//!   before the worker waits (step N): nobody is woken, the worker then
//!   waits for ever".
//! - (B) worker checks the flag (false); main stores it, finds no condvar
//!   registered, notifies nobody; the worker registers and waits. Mark 1:
//!   the worker's `wait cv` (or its registration) acting on its flag check
//!   `load flag -> false`, which main changed since: kind `stale_check`
//!   (lenient: `lost_wakeup`/`deadlock` on the wait naming main's store).
//!
//! One teacher mark per backend, on whichever execution is shown. No mark on
//! the `data` lock, the set_clear lock/unlock steps as such, or the spawn; a
//! `deadlock` mark on main's `join` is true (it waits for a thread that
//! waits for ever) but not what a teacher points at.
//!
//! **Controls.** (1) The interrupter takes the waiter's mutex `data` before
//! notifying (what listing 9.12's `custom_lock` achieves for
//! `condition_variable_any`): the flag check and the wait are then atomic
//! with respect to the interrupt. (2) A semaphore instead of the condvar: a
//! release before the acquire is remembered, so the interrupt cannot be
//! lost.

use racelab::explore::{FailureKind, Scenario};
use racelab::sync::atomic::{AtomicBool, Ordering::Relaxed};
use racelab::sync::{thread, Arc, Condvar, Mutex, Semaphore};

use crate::common;

/// listing 9.11's `interrupt_flag`; `thread_cond` becomes "is the condvar
/// registered" (there is only the one).
struct InterruptFlag {
    flag: AtomicBool,
    /// `thread_cond`, guarded by `set_clear_mutex`.
    thread_cond: Mutex<bool>,
}

impl InterruptFlag {
    fn new() -> Self {
        InterruptFlag {
            flag: AtomicBool::new(false).named("flag"),
            thread_cond: Mutex::new(false).named("set_clear"),
        }
    }
    fn is_set(&self) -> bool {
        self.flag.load(Relaxed)
    }
    fn set_condition_variable(&self) {
        *self.thread_cond.lock().unwrap() = true;
    }
    fn clear_condition_variable(&self) {
        *self.thread_cond.lock().unwrap() = false;
    }
}

struct Shared {
    interrupt: InterruptFlag,
    /// `data_ready`, never set: the worker waits until interrupted.
    data: Mutex<bool>,
    cv: Condvar,
}

impl Shared {
    fn new() -> Arc<Self> {
        Arc::new(Shared {
            interrupt: InterruptFlag::new(),
            data: Mutex::new(false).named("data"),
            cv: Condvar::new().named("cv"),
        })
    }

    /// The worker's loop: `while(!data_ready) interruptible_wait(cv, lk);`
    /// with listing 9.10's `interruptible_wait` inlined. An
    /// `interruption_point()` that finds the flag set "throws": returns.
    fn worker(&self) -> &'static str {
        let mut ready = self.data.lock().unwrap();
        while !*ready {
            if self.interrupt.is_set() {
                return "interrupted";
            }
            self.interrupt.set_condition_variable();
            ready = self.cv.wait(ready).unwrap();
            self.interrupt.clear_condition_variable();
            if self.interrupt.is_set() {
                return "interrupted";
            }
        }
        "data ready"
    }

    /// `interrupt_flag::set()` of listing 9.11.
    fn interrupt(&self) {
        self.interrupt.flag.store(true, Relaxed);
        let registered = self.interrupt.thread_cond.lock().unwrap();
        if *registered {
            self.cv.notify_all();
        }
    }

    /// The fix: the flag store and the notify cannot fall between the
    /// worker's check (made under `data`) and its wait (which releases
    /// `data` atomically).
    fn interrupt_under_data_lock(&self) {
        self.interrupt.flag.store(true, Relaxed);
        drop(self.data.lock().unwrap());
        self.cv.notify_all();
    }
}

fn scenario(name: &'static str, interrupt: fn(&Shared)) -> Scenario<String> {
    Scenario::new(name, move || {
        let s = Shared::new();
        let w = Arc::clone(&s);
        let worker = thread::Builder::new().name("worker").spawn(move || w.worker()).unwrap();
        interrupt(&s);
        format!("worker {}", worker.join().unwrap())
    })
    .expect_only("worker interrupted".to_string())
}

fn with_semaphore() -> Scenario<String> {
    Scenario::new("cia::interrupt_semaphore", || {
        let flag = Arc::new(AtomicBool::new(false).named("flag"));
        // One semaphore for "data or interrupt": a release is never lost.
        let wake = Arc::new(Semaphore::new(0).named("wake"));
        let (f, w) = (Arc::clone(&flag), Arc::clone(&wake));
        let worker = thread::Builder::new()
            .name("worker")
            .spawn(move || loop {
                if f.load(Relaxed) {
                    return "interrupted";
                }
                w.acquire();
            })
            .unwrap();
        flag.store(true, Relaxed);
        wake.release();
        format!("worker {}", worker.join().unwrap())
    })
    .expect_only("worker interrupted".to_string())
}

#[test]
fn racy_under_loom() {
    let report = common::explore(&scenario("cia::interruptible_wait", Shared::interrupt), &common::loom());
    report.assert_racy(Some(FailureKind::Deadlock));
}

#[test]
fn racy_under_shuttle() {
    let report = common::explore(
        &scenario("cia::interruptible_wait", Shared::interrupt),
        &common::shuttle(),
    );
    report.assert_racy(Some(FailureKind::Deadlock));
}

#[test]
fn notify_under_waiters_lock_holds() {
    for explorer in [common::loom(), common::shuttle()] {
        let s = scenario("cia::interruptible_wait_locked", Shared::interrupt_under_data_lock);
        common::explore(&s, &explorer).assert_holds();
    }
}

#[test]
fn semaphore_holds() {
    for explorer in [common::loom(), common::shuttle()] {
        common::explore(&with_semaphore(), &explorer).assert_holds();
    }
}
