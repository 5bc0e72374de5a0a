//! **LLNL POSIX Threads tutorial, exercise `bug6.c`: a dot product summed
//! into an unprotected global.**
//!
//! Source: B. Barney, "POSIX Threads Programming", Lawrence Livermore
//! National Laboratory, Exercise 2, Mutexes, step 4 ("Review, compile and
//! run the bug6.c program ... notice what the global sum is each time"),
//! <https://hpc-tutorials.llnl.gov/posix/exercise2/>; code in
//! `LLNL/HPC-Tutorials`, `posix/samples/bug6.c` ("This example demonstrates
//! a race condition with a global variable that gives obviously wrong
//! results") and `dotprod_mutex.c`.
//!
//! The program: `long sum = 0;` is a plain global; each thread runs
//! `for (i = start; i < end; i++) sum += (a[i] * b[i]);` over its own
//! slice of two vectors of ones. Scaled down: 2 threads, `VECLEN = 2`, so the
//! right sum is 4. The global is a `racelab::sync::cell::UnsafeCell` (a
//! plain C variable), `sum += x` a read then a write.
//!
//! The bug: `sum += ...` is load, add, store with no lock: a data race, and
//! updates are lost.
//!
//! Expected bad executions: loom stops at the first unordered pair, e.g.
//! t0 `write sum <- 1` and t1 `read sum -> 0` (or t1's write). shuttle runs
//! to the end: t0 `read sum -> 0`, t1 `read sum -> 0`, t1 `write sum <- 1`,
//! t0 `write sum <- 1`, and the sum ends below 4.
//!
//! **Teacher marks** (1 per backend):
//! - loom: the later access of the racing pair (the one loom stopped at):
//!   kind `data_race`: "races with step N (t0's write of sum): no lock
//!   orders them". Lenient: the same mark on the other access of the pair.
//! - shuttle: the write that overwrites the other thread's update: kind
//!   `lost_update`: "overwrites step N (t1's update is lost)".
//!
//! No mark belongs on: the reads of `a[i]`, `b[i]` (plain immutable data,
//! not modelled), the first write when nothing came between its read and it,
//! the spawns, joins, and main's final read after the joins.
//!
//! Controls: (1) the tutorial's `dotprod_mutex.c`: a private partial sum,
//! added to the global once under a `Mutex`; (2) another primitive: the
//! partial sums added with `fetch_add(Relaxed)` to an atomic (Relaxed is
//! enough: main reads after the joins).

use racelab::explore::{FailureKind, Scenario};
use racelab::sync::atomic::{AtomicI64, Ordering::Relaxed};
use racelab::sync::cell::UnsafeCell;
use racelab::sync::{thread, Arc, Mutex};

use crate::common;

const NUMTHRDS: usize = 2;
const VECLEN: usize = 2;

/// `long sum` in C: a plain global every thread writes.
struct Global(UnsafeCell<i64>);

// SAFETY: it is not; this is the bug under test (the model checkers see
// every access through `with`/`with_mut`).
unsafe impl Sync for Global {}

fn vectors() -> (Vec<i64>, Vec<i64>) {
    (vec![1; NUMTHRDS * VECLEN], vec![1; NUMTHRDS * VECLEN])
}

fn racy() -> Scenario<String> {
    Scenario::new("blind7a::llnl_bug6", || {
        let sum = Arc::new(Global(UnsafeCell::new(0).named("sum")));
        let (a, b) = vectors();
        let (a, b) = (Arc::new(a), Arc::new(b));
        let handles: Vec<_> = (0..NUMTHRDS)
            .map(|tid| {
                let (sum, a, b) = (Arc::clone(&sum), Arc::clone(&a), Arc::clone(&b));
                thread::Builder::new()
                    .name(format!("t{tid}"))
                    .spawn(move || {
                        let start = tid * VECLEN;
                        for i in start..start + VECLEN {
                            // sum += (a[i] * b[i]);
                            let s = sum.0.with(|p| unsafe { *p });
                            sum.0.with_mut(|p| unsafe { *p = s + a[i] * b[i] });
                        }
                    })
                    .unwrap()
            })
            .collect();
        for h in handles {
            h.join().unwrap();
        }
        format!("sum = {}", sum.0.with(|p| unsafe { *p }))
    })
    .expect_only(format!("sum = {}", NUMTHRDS * VECLEN))
}

/// Control 1: `dotprod_mutex.c`.
fn mutex() -> Scenario<String> {
    Scenario::new("blind7a::llnl_dotprod_mutex", || {
        let sum = Arc::new(Mutex::new(0i64).named("sum"));
        let (a, b) = vectors();
        let (a, b) = (Arc::new(a), Arc::new(b));
        let handles: Vec<_> = (0..NUMTHRDS)
            .map(|tid| {
                let (sum, a, b) = (Arc::clone(&sum), Arc::clone(&a), Arc::clone(&b));
                thread::Builder::new()
                    .name(format!("t{tid}"))
                    .spawn(move || {
                        let start = tid * VECLEN;
                        let mysum: i64 = (start..start + VECLEN).map(|i| a[i] * b[i]).sum();
                        *sum.lock().unwrap() += mysum;
                    })
                    .unwrap()
            })
            .collect();
        for h in handles {
            h.join().unwrap();
        }
        let s = *sum.lock().unwrap();
        format!("sum = {s}")
    })
    .expect_only(format!("sum = {}", NUMTHRDS * VECLEN))
}

/// Control 2: partial sums into an atomic.
fn atomic() -> Scenario<String> {
    Scenario::new("blind7a::llnl_dotprod_atomic", || {
        let sum = Arc::new(AtomicI64::new(0).named("sum"));
        let (a, b) = vectors();
        let (a, b) = (Arc::new(a), Arc::new(b));
        let handles: Vec<_> = (0..NUMTHRDS)
            .map(|tid| {
                let (sum, a, b) = (Arc::clone(&sum), Arc::clone(&a), Arc::clone(&b));
                thread::Builder::new()
                    .name(format!("t{tid}"))
                    .spawn(move || {
                        let start = tid * VECLEN;
                        let mysum: i64 = (start..start + VECLEN).map(|i| a[i] * b[i]).sum();
                        sum.fetch_add(mysum, Relaxed);
                    })
                    .unwrap()
            })
            .collect();
        for h in handles {
            h.join().unwrap();
        }
        format!("sum = {}", sum.load(Relaxed))
    })
    .expect_only(format!("sum = {}", NUMTHRDS * VECLEN))
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
fn mutex_holds() {
    common::explore(&mutex(), &common::loom()).assert_holds();
    common::explore(&mutex(), &common::shuttle()).assert_holds();
}

#[test]
fn atomic_holds() {
    common::explore(&atomic(), &common::loom()).assert_holds();
    common::explore(&atomic(), &common::shuttle()).assert_holds();
}
