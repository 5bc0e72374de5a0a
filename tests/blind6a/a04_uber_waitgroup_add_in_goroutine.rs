//! a04: `wg.Add(1)` inside the goroutine.
//!
//! **Source.** Chabbi and Ramanathan, "A Study of Real-World Data Races in
//! Golang", PLDI 2022 (arXiv:2204.00764), the pattern "incorrect placement of
//! `WaitGroup.Add`"; Figure 6A, "Data race due to incorrect WaitGroup.Add()
//! placement", in Uber's blog post "Data Race Patterns in Go"
//! (<https://www.uber.com/blog/data-race-patterns-in-go/>):
//!
//! ```go
//! func WaitGrpExample(itemIds []int) int {
//!     var wg sync.WaitGroup
//!     results := make([]int, len(itemIds))
//!     for i := 0; i < len(itemIds); i++ {
//!         go (idx int) {
//!             wg.Add(1)
//!             results[idx] = ...
//!             wg.Done()
//!         }(i)
//!     }
//!     wg.Wait()
//!     ...   // reads results
//! }
//! ```
//!
//! `sync.WaitGroup`'s documentation: "calls with a positive delta that occur
//! when the counter is zero must happen before a Wait". Here `Add` runs on
//! the new goroutine, so `Wait` can find the counter still 0 and return at
//! once, and the function reads `results` while the goroutines write them.
//!
//! **Transcription.** Two items. `sync.WaitGroup` is built the way it works:
//! a counter in a `Mutex<i64>` named `wg` and a `Condvar` named `wg_zero`:
//! `add(n)` locks and adds; `done()` locks, subtracts, and notifies all at 0;
//! `wait()` locks and waits while the counter is above 0. `results` is a
//! plain slice: one `UnsafeCell<i64>` per element (distinct elements are
//! distinct memory locations in Go, as in C11), named `results[0]` and
//! `results[1]`. The goroutines are
//! threads `w0`, `w1`; worker `i` writes `results[i] = 10 * (i + 1)`. The
//! outcome is the `results` main read after `wait()`.
//!
//! **The bug.** An order violation: main's `wait()` can check the counter
//! before any worker's `add(1)`, find 0, and return; main then reads
//! `results` before (or unordered with) the workers' writes.
//!
//! **Teacher marks** (written before the first run):
//! 1. main's read of `results` after `wait()` returned early. loom: kind
//!    `data_race`, "races with w0's write of results" (loom stops at the
//!    second of the two accesses; its other end is the worker's
//!    `write results`). shuttle: kind `order_violation`, "reads `results`
//!    before w0 writes it".
//! 2. main's `lock wg -> 0` in `wait()`, the check that found the counter 0
//!    before the worker's `add(1)` (`lock wg -> 0` then `unlock wg -> 1` on
//!    the worker's side): kind `order_violation` (or `stale_check`): "Wait
//!    checks the counter before w0's Add(1): it finds 0 and does not wait".
//!    Either end of that pair (main's check, the worker's `add` lock) with
//!    text naming both counts as lenient.
//!    Two marks per backend.
//! - No mark on the spawns, on `done()`'s notify (nobody waits: that is a
//!   consequence, not a lost wake-up), or on the workers' writes as such.
//!
//! **Controls.** (1) The documented fix: main calls `wg.add(2)` before
//! spawning. (2) Another primitive: a `Barrier` for the two workers and main;
//! each worker writes its slot, then waits; main waits, then reads.

use racelab::explore::{FailureKind, Scenario};
use racelab::sync::cell::UnsafeCell;
use racelab::sync::{thread, Arc, Barrier, Condvar, Mutex};

use crate::common;

/// `sync.WaitGroup`, built from a mutex and a condition variable.
struct WaitGroup {
    count: Mutex<i64>,
    zero: Condvar,
}

impl WaitGroup {
    fn new() -> Self {
        WaitGroup {
            count: Mutex::new(0).named("wg"),
            zero: Condvar::new().named("wg_zero"),
        }
    }
    fn add(&self, n: i64) {
        *self.count.lock().unwrap() += n;
    }
    fn done(&self) {
        let mut c = self.count.lock().unwrap();
        *c -= 1;
        if *c == 0 {
            self.zero.notify_all();
        }
    }
    fn wait(&self) {
        let mut c = self.count.lock().unwrap();
        while *c > 0 {
            c = self.zero.wait(c).unwrap();
        }
    }
}

/// `results := make([]int, 2)`: a plain slice, one cell per element.
struct Results([UnsafeCell<i64>; 2]);
// SAFETY: this is the racy program under test; loom checks every access.
unsafe impl Sync for Results {}

fn new_results() -> Arc<Results> {
    Arc::new(Results([
        UnsafeCell::new(0).named("results[0]"),
        UnsafeCell::new(0).named("results[1]"),
    ]))
}

fn read(results: &Results) -> String {
    let seen: Vec<i64> = results.0.iter().map(|c| c.with(|p| unsafe { *p })).collect();
    format!("{seen:?}")
}

const EXPECTED: &str = "[10, 20]";

fn wait_group(add_in_goroutine: bool) -> String {
    let wg = Arc::new(WaitGroup::new());
    let results = new_results();
    if !add_in_goroutine {
        wg.add(2);
    }
    let workers: Vec<_> = (0..2)
        .map(|idx| {
            let wg = Arc::clone(&wg);
            let results = Arc::clone(&results);
            thread::Builder::new()
                .name(format!("w{idx}"))
                .spawn(move || {
                    if add_in_goroutine {
                        wg.add(1);
                    }
                    results.0[idx].with_mut(|p| unsafe { *p = 10 * (idx as i64 + 1) });
                    wg.done();
                })
                .unwrap()
        })
        .collect();
    wg.wait();
    let seen = read(&results);
    for w in workers {
        w.join().unwrap();
    }
    seen
}

fn racy() -> Scenario<String> {
    Scenario::new("blind6a::uber_waitgroup_add_in_goroutine", || wait_group(true)).expect_only(EXPECTED.to_owned())
}

fn fixed_add_before_go() -> Scenario<String> {
    Scenario::new("blind6a::uber_waitgroup_add_before_go", || wait_group(false)).expect_only(EXPECTED.to_owned())
}

fn fixed_barrier() -> Scenario<String> {
    Scenario::new("blind6a::uber_waitgroup_barrier", || {
        let all_written = Arc::new(Barrier::new(3).named("all_written"));
        let results = new_results();
        let workers: Vec<_> = (0..2)
            .map(|idx| {
                let all_written = Arc::clone(&all_written);
                let results = Arc::clone(&results);
                thread::Builder::new()
                    .name(format!("w{idx}"))
                    .spawn(move || {
                        results.0[idx].with_mut(|p| unsafe { *p = 10 * (idx as i64 + 1) });
                        all_written.wait();
                    })
                    .unwrap()
            })
            .collect();
        all_written.wait();
        let seen = read(&results);
        for w in workers {
            w.join().unwrap();
        }
        seen
    })
    .expect_only(EXPECTED.to_owned())
}

#[test]
fn racy_loom() {
    let report = common::explore(&racy(), &common::loom());
    report.assert_racy(Some(FailureKind::DataRace));
}

#[test]
fn racy_shuttle() {
    let report = common::explore(&racy(), &common::shuttle());
    report.assert_racy(Some(FailureKind::ForbiddenOutcome));
}

#[test]
fn fixed_add_before_go_holds() {
    common::explore(&fixed_add_before_go(), &common::loom()).assert_holds();
    common::explore(&fixed_add_before_go(), &common::shuttle()).assert_holds();
}

#[test]
fn fixed_barrier_holds() {
    common::explore(&fixed_barrier(), &common::loom()).assert_holds();
    common::explore(&fixed_barrier(), &common::shuttle()).assert_holds();
}
