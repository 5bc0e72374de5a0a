//! a06: the three-thread release-acquire chain with its middle link made a
//! plain relaxed store.
//!
//! **Source.** cppreference, `std::memory_order`, section "Release-Acquire
//! ordering", the example of "transitive release-acquire ordering across
//! three threads" (<https://en.cppreference.com/w/cpp/atomic/memory_order>):
//!
//! ```cpp
//! std::vector<int> data;
//! std::atomic<int> flag = {0};
//!
//! void thread_1() {
//!     data.push_back(42);
//!     flag.store(1, std::memory_order_release);
//! }
//! void thread_2() {
//!     int expected = 1;
//!     // memory_order_relaxed is okay because this is an RMW,
//!     // and RMWs (with any ordering) following a release form a release sequence
//!     while (!flag.compare_exchange_strong(expected, 2, std::memory_order_relaxed))
//!         expected = 1;
//! }
//! void thread_3() {
//!     while (flag.load(std::memory_order_acquire) < 2)
//!         ;
//!     // if we read the value 2 from the atomic flag, we see 42 in the vector
//!     assert(data.at(0) == 42); // will never fire
//! }
//! ```
//!
//! (Older revisions of the page use `memory_order_acq_rel` in `thread_2`;
//! the current one uses `relaxed` and the comment above.)
//!
//! **The puzzle.** The comment is the point: the relaxed CAS is correct only
//! because it is a read-modify-write. The classic mistake is to "simplify"
//! `thread_2` into a relaxed wait for 1 followed by a relaxed `store(2)`. A
//! plain store by another thread is not part of `thread_1`'s release
//! sequence, so `thread_3`'s acquire load that reads 2 synchronises with
//! nothing, and its read of `data` races with `thread_1`'s `push_back`.
//!
//! **Transcription.** `data` is a plain vector: an `UnsafeCell<Vec<i32>>`
//! named `data`; `flag` an `AtomicU32` named `flag`. Threads `t1`, `t2`,
//! `t3`, joined by main. The spin loops become single attempts (`t2` stores 2
//! only if its load saw 1; `t3` reads `data` only if its load saw 2): every
//! execution in which the loops would have exited is still explored, and
//! the others just end. The outcome is what `t3` read (or that it did not
//! get past the flag).
//!
//! **Teacher marks** (written before the first run):
//! - loom: the bad execution: t1 writes `data`, `store flag <- 1` Release;
//!   t2 `load flag -> 1` Relaxed, `store flag <- 2` Relaxed; t3
//!   `load flag -> 2` Acquire, then reads `data`: data race. Two marks:
//!   1. t2's `store flag <- 2` (Relaxed), kind `no_sync`: "a plain store, not a
//!      read-modify-write: it ends t1's release sequence, so t3's Acquire load
//!      of 2 synchronises with nothing". (A mark of kind `no_sync` on t3's
//!      `load flag -> 2` saying it reads a Relaxed store that carries no
//!      release from t1 is the same finding from the other end: lenient.)
//!   2. t3's `read data`, kind `data_race`: "races with t1's write of `data`
//!      (step N)".
//! - shuttle: every atomic is `SeqCst` and plain accesses are not checked:
//!   it cannot see this bug; right verdict "holds", 0 marks.
//! - No mark on t1's steps (they are right), on t2's Relaxed load of 1 (it
//!   only needs to see 1), nor on the joins.
//!
//! **Controls.** (1) cppreference's own `thread_2`: a relaxed
//! `compare_exchange(1, 2)`, correct through the release sequence. (2) The
//! chain made explicit with another ordering: t2 loads with `Acquire` and
//! stores with `Release` (t1 → t2 → t3 by two release/acquire pairs).

use racelab::explore::{FailureKind, Scenario};
use racelab::sync::atomic::{AtomicU32, Ordering};
use racelab::sync::cell::UnsafeCell;
use racelab::sync::{thread, Arc};

use crate::common;

struct Shared {
    data: UnsafeCell<Vec<i32>>,
    flag: AtomicU32,
}
// SAFETY: this is the racy program under test; loom checks every access.
unsafe impl Sync for Shared {}

#[derive(Clone, Copy)]
enum Middle {
    /// The mistake: relaxed load of 1, then a plain relaxed store of 2.
    RelaxedStore,
    /// cppreference: a relaxed compare-exchange (an RMW).
    RelaxedCas,
    /// Acquire load, Release store.
    AcquireRelease,
}

fn chain(middle: Middle) -> String {
    let s = Arc::new(Shared {
        data: UnsafeCell::new(Vec::new()).named("data"),
        flag: AtomicU32::new(0).named("flag"),
    });
    let s1 = Arc::clone(&s);
    let t1 = thread::Builder::new()
        .name("t1")
        .spawn(move || {
            s1.data.with_mut(|p| unsafe { (*p).push(42) });
            s1.flag.store(1, Ordering::Release);
        })
        .unwrap();
    let s2 = Arc::clone(&s);
    let t2 = thread::Builder::new()
        .name("t2")
        .spawn(move || match middle {
            Middle::RelaxedStore => {
                if s2.flag.load(Ordering::Relaxed) == 1 {
                    s2.flag.store(2, Ordering::Relaxed);
                }
            }
            Middle::RelaxedCas => {
                let _ = s2.flag.compare_exchange(1, 2, Ordering::Relaxed, Ordering::Relaxed);
            }
            Middle::AcquireRelease => {
                if s2.flag.load(Ordering::Acquire) == 1 {
                    s2.flag.store(2, Ordering::Release);
                }
            }
        })
        .unwrap();
    let s3 = Arc::clone(&s);
    let t3 = thread::Builder::new()
        .name("t3")
        .spawn(move || {
            if s3.flag.load(Ordering::Acquire) < 2 {
                return "t3 did not see 2".to_owned();
            }
            let first = s3.data.with(|p| unsafe { (*p).first().copied() });
            format!("t3 read data[0] = {first:?}")
        })
        .unwrap();
    t1.join().unwrap();
    t2.join().unwrap();
    t3.join().unwrap()
}

fn grade(o: &String) -> racelab::explore::Grade {
    if o == "t3 did not see 2" || o == "t3 read data[0] = Some(42)" {
        racelab::explore::Grade::Acceptable
    } else {
        racelab::explore::Grade::Forbidden
    }
}

fn scenario(name: &str, middle: Middle) -> Scenario<String> {
    Scenario::new(name, move || chain(middle)).expect("t3 sees 42 whenever it sees 2", grade)
}

#[test]
fn racy_loom() {
    let report = common::explore(
        &scenario("blind6a::cppref_relaxed_store_chain", Middle::RelaxedStore),
        &common::loom(),
    );
    report.assert_racy(Some(FailureKind::DataRace));
}

/// shuttle treats every atomic as SeqCst and does not check plain accesses:
/// it cannot see this bug; the right verdict for it is "holds".
#[test]
fn racy_shuttle_cannot_see_it() {
    let report = common::explore(
        &scenario("blind6a::cppref_relaxed_store_chain", Middle::RelaxedStore),
        &common::shuttle(),
    );
    report.assert_holds();
}

#[test]
fn fixed_relaxed_cas_holds() {
    let s = scenario("blind6a::cppref_relaxed_cas_chain", Middle::RelaxedCas);
    common::explore(&s, &common::loom()).assert_holds();
    common::explore(&s, &common::shuttle()).assert_holds();
}

#[test]
fn fixed_acquire_release_holds() {
    let s = scenario("blind6a::cppref_acqrel_chain", Middle::AcquireRelease);
    common::explore(&s, &common::loom()).assert_holds();
    common::explore(&s, &common::shuttle()).assert_holds();
}
