//! # perfbook ch. 5 ("Counting"), Listing 5.1: `count_nonatomic.c`
//!
//! Source: Paul E. McKenney, *Is Parallel Programming Hard, And, If So, What
//! Can You Do About It?*, ch. 5 "Counting", Listing 5.1 "Just Count!":
//! ```c
//! unsigned long counter = 0;
//! static __inline__ void inc_count(void)
//! { WRITE_ONCE(counter, READ_ONCE(counter) + 1); }
//! ```
//! The bug: `READ_ONCE` and `WRITE_ONCE` are each a single access (here
//! `Relaxed` load and store on an `AtomicU16`), but the increment is two:
//! another thread's increment between them is overwritten (the book measured
//! a count of 100,000 with 10 threads incrementing 10,000 times each
//! reporting 52,000 on real hardware). Two threads increment twice each.
//!
//! ## Teacher marks (written before looking at racelab's marks)
//! 1. The `store counter <- v` that overwrites the other thread's
//!    increment: kind `lost_update` ("overwrites step N (X's update is
//!    lost)"). If the failing trace loses more than one increment, one such
//!    mark per lost increment. Lenient: the overwritten store, or the `load`
//!    the overwriting store was computed from, if the text says the update
//!    is lost.
//!
//! Spurious: `no_sync` or `stale_read` marks blaming `Relaxed` (the book's
//! fix, `atomic_inc`, is a `Relaxed` RMW: ordering is not the bug; a
//! `stale_read` on the load is factually true under C11 only if a newer
//! store already existed in modification order and is counted lenient only if
//! the text also names the lost update); marks on `main`'s joins or final
//! read.
//!
//! Controls: `count_atomic.c` (`fetch_add`, still `Relaxed`), and
//! `count_stat.c` (one counter per thread, summed by `read_count` after the
//! joins: no shared read-modify-write at all).

use crate::common::{explore, loom, shuttle};
use racelab::explore::{FailureKind, Scenario};
use racelab::sync::atomic::{AtomicU16, Ordering::Relaxed};
use racelab::sync::{thread, Arc};

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Version {
    NonAtomic,
    Atomic,
    PerThread,
}

fn count(version: Version) -> Scenario<u16> {
    Scenario::new(format!("perfbook::count_{version:?}"), move || {
        let counter = Arc::new(AtomicU16::new(0).named("counter"));
        // count_stat.c: counter[t] for each thread.
        let slots = Arc::new([
            AtomicU16::new(0).named("counter[t1]"),
            AtomicU16::new(0).named("counter[t2]"),
        ]);
        let spawn = |name: &'static str, me: usize| {
            let (counter, slots) = (Arc::clone(&counter), Arc::clone(&slots));
            thread::Builder::new()
                .name(name)
                .spawn(move || {
                    for _ in 0..2 {
                        match version {
                            Version::NonAtomic => counter.store(counter.load(Relaxed) + 1, Relaxed),
                            Version::Atomic => {
                                counter.fetch_add(1, Relaxed);
                            }
                            Version::PerThread => slots[me].store(slots[me].load(Relaxed) + 1, Relaxed),
                        }
                    }
                })
                .unwrap()
        };
        let t1 = spawn("t1", 0);
        let t2 = spawn("t2", 1);
        t1.join().unwrap();
        t2.join().unwrap();
        match version {
            Version::PerThread => slots.iter().map(|s| s.load(Relaxed)).sum(),
            _ => counter.load(Relaxed),
        }
    })
    .expect_only(4)
}

#[test]
fn a07_nonatomic_loom() {
    explore(&count(Version::NonAtomic), &loom()).assert_racy(Some(FailureKind::ForbiddenOutcome));
}

#[test]
fn a07_nonatomic_shuttle() {
    explore(&count(Version::NonAtomic), &shuttle()).assert_racy(Some(FailureKind::ForbiddenOutcome));
}

#[test]
fn a07_control_fetch_add_holds() {
    explore(&count(Version::Atomic), &loom()).assert_holds();
    explore(&count(Version::Atomic), &shuttle()).assert_holds();
}

#[test]
fn a07_control_per_thread_holds() {
    explore(&count(Version::PerThread), &loom()).assert_holds();
    explore(&count(Version::PerThread), &shuttle()).assert_holds();
}
