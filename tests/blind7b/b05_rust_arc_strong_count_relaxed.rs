//! # b05: waiting for `Arc::strong_count` to reach 1 with a Relaxed load
//!
//! **Source.** rust-lang/rust issue #117485, "`Arc::strong_count` memory
//! ordering is a potential footgun"
//! (<https://github.com/rust-lang/rust/issues/117485>, 2023-11). After
//! #115546 made `{Arc,Weak}::{strong,weak}_count` `Relaxed` loads, this
//! program has undefined behaviour (Miri: "Data race detected between (1)
//! Write on thread `<unnamed>` and (2) Read on thread `main`"):
//! ```text
//! let a = Arc::new(UnsafeCell::new(0i32));
//! let b = SendMe(a.clone());
//! thread::spawn(move || { let b = b; for _ in 0..100 { unsafe { *b.0.get() += 1; } } });
//! while Arc::strong_count(&a) != 1 {}
//! // core::sync::atomic::fence(core::sync::atomic::Ordering::Acquire);
//! unsafe { *a.get() += 1; }
//! ```
//! The same lesson is in Mara Bos, *Rust Atomics and Locks*, chapter 6
//! "Building Our Own Arc", `get_mut`: a `Relaxed` check that the count is 1
//! must be followed by `fence(Acquire)` to synchronise with the `Release`
//! decrement of every other `Arc`'s drop.
//!
//! **The program.** The `Arc` is transcribed as the book's chapter 6 one: an
//! allocation with a `strong: AtomicUsize` and the data (a facade
//! `UnsafeCell<i32>`); `clone` is `fetch_add(1, Relaxed)`, `drop` is
//! `fetch_sub(1, Release)` (the last one would add `fence(Acquire)` and
//! free), `strong_count` is `load(Relaxed)`. The worker ("t1") increments the
//! data twice (a read and a write each; the issue's loop of 100, shortened)
//! and drops its clone; main spins until `strong_count` is 1 (a
//! `hint::spin_loop` per turn, as the models need), then increments.
//!
//! **The bug.** main's Relaxed load reads 1 from the worker's Release
//! decrement but does not synchronise with it: the worker's writes of the
//! data do not happen before main's read and write. A data race (loom).
//! shuttle runs atomics as `SeqCst` and checks no plain access: it cannot see
//! the bug, and the scenario should hold there (0 teacher marks).
//!
//! **Teacher marks (written before the first run).**
//! - loom (verdict: data race). Two marks.
//!   1. main's `load strong -> 1` (the one that ends the loop), kind
//!      `no_sync`: "this Relaxed load reads t1's Release fetch_sub (step N)
//!      but does not synchronise with it: t1's writes of data are not
//!      ordered before main's access".
//!   2. main's access to `data` (its read, or its write if the race is
//!      reported there), kind `data_race`: "races with t1's write of data
//!      at step N". Lenient: the mark on t1's write naming main's access.
//! - shuttle: cannot see it: 0 marks; right verdict if it holds.
//! - No mark belongs on: the spin loop's loads that read 2, t1's
//!   increments before its decrement, the clone's `fetch_add`, the setup.
//!
//! **Controls.** (1) The issue's commented-out line: `fence(Acquire)` after
//! the loop. (2) A different primitive: join the worker instead of polling
//! the count (the join orders everything the worker did).

use racelab::explore::{FailureKind, Scenario};
use racelab::sync::atomic::{fence, AtomicUsize, Ordering::Acquire, Ordering::Relaxed, Ordering::Release};
use racelab::sync::cell::UnsafeCell;
use racelab::sync::{hint, thread};

use crate::common;

/// The allocation behind the book's chapter 6 `Arc`.
struct ArcData {
    strong: AtomicUsize,
    data: UnsafeCell<i32>,
}

// Safety: the issue's `SendMe` wrapper: the program claims the count
// orders the accesses (which is the bug).
unsafe impl Sync for ArcData {}
unsafe impl Send for ArcData {}

/// One `Arc` handle: the chapter 6 `clone` and `drop`.
struct MyArc(std::sync::Arc<ArcData>);

impl MyArc {
    fn new(v: i32) -> Self {
        MyArc(std::sync::Arc::new(ArcData {
            strong: AtomicUsize::new(1).named("strong"),
            data: UnsafeCell::new(v).named("data"),
        }))
    }

    fn clone_arc(&self) -> Self {
        self.0.strong.fetch_add(1, Relaxed);
        MyArc(std::sync::Arc::clone(&self.0))
    }

    fn strong_count(&self) -> usize {
        self.0.strong.load(Relaxed)
    }

    /// `*a.get() += 1`: a read, then a write.
    fn increment(&self) {
        let v = self.0.data.with(|p| unsafe { *p });
        self.0.data.with_mut(|p| unsafe { *p = v + 1 });
    }

    fn value(&self) -> i32 {
        self.0.data.with(|p| unsafe { *p })
    }
}

impl Drop for MyArc {
    fn drop(&mut self) {
        if self.0.strong.fetch_sub(1, Release) == 1 {
            fence(Acquire);
            // The book frees the allocation here; std's Arc does it for us.
        }
    }
}

#[derive(Clone, Copy)]
enum Wait {
    /// The issue's program.
    RelaxedCount,
    /// The issue's commented-out fence.
    Fence,
    /// Control 2: join the worker.
    Join,
}

fn scenario(name: &str, wait: Wait) -> Scenario<i32> {
    Scenario::new(name, move || {
        let a = MyArc::new(0);
        let b = a.clone_arc();
        let mut worker = Some(thread::spawn(move || {
            let b = b;
            for _ in 0..2 {
                b.increment();
            }
        }));
        match wait {
            Wait::Join => worker.take().unwrap().join().unwrap(),
            _ => {
                while a.strong_count() != 1 {
                    hint::spin_loop();
                }
                if let Wait::Fence = wait {
                    fence(Acquire);
                }
            }
        }
        a.increment();
        let v = a.value();
        if let Some(w) = worker {
            w.join().unwrap();
        }
        v
    })
    .expect_only(3)
}

#[test]
fn loom_racy() {
    let report = common::explore(&scenario("b05::relaxed_count", Wait::RelaxedCount), &common::loom());
    report.assert_racy(Some(FailureKind::DataRace));
}

#[test]
fn shuttle_blind() {
    // shuttle cannot see a weak-memory race: its verdict is that it holds.
    let report = common::explore(&scenario("b05::relaxed_count", Wait::RelaxedCount), &common::shuttle());
    report.assert_holds();
}

#[test]
fn loom_control_fence() {
    common::explore(&scenario("b05::fence", Wait::Fence), &common::loom()).assert_holds();
}

#[test]
fn shuttle_control_fence() {
    common::explore(&scenario("b05::fence", Wait::Fence), &common::shuttle()).assert_holds();
}

#[test]
fn loom_control_join() {
    common::explore(&scenario("b05::join", Wait::Join), &common::loom()).assert_holds();
}

#[test]
fn shuttle_control_join() {
    common::explore(&scenario("b05::join", Wait::Join), &common::shuttle()).assert_holds();
}
