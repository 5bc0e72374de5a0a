//! # Transitive synchronisation with a Relaxed link in the middle (Williams listing 5.9)
//!
//! **Source.** Anthony Williams, *C++ Concurrency in Action*, 2nd ed.,
//! §5.3.3 "Transitive synchronization with acquire-release ordering",
//! listing 5.9: thread_1 stores `data[0..5]` Relaxed, then `sync1 = true`
//! Release; thread_2 spins `while(!sync1.load(acquire));` then stores
//! `sync2` Release; thread_3 spins on `sync2` Acquire, then asserts the data
//! (<https://github.com/anthonywilliams/ccia_code_samples/blob/master/listings/listing_5.9.cpp>).
//! Williams: "even though thread_2 only touches the variables sync1 and
//! sync2, this is enough for synchronization between thread_1 and thread_3
//! to ensure that the asserts don't fire" — because happens-before is
//! transitive through thread_2's acquire and release.
//!
//! **Program.** The listing with two data slots (42, 97), and one change:
//! thread_2, which "only passes the flag on", loads `sync1` Relaxed.
//!
//! **Bug.** Weak memory: the chain is cut at its middle. thread_2's Relaxed
//! load of `sync1` does not synchronise with thread_1's Release store, so
//! thread_2's Release store of `sync2` carries nothing of thread_1's; thread_3
//! may see `sync2 = true` and still read `data0 = 0` (the assert fires).
//! shuttle runs every atomic as `SeqCst` and cannot see this.
//!
//! **Teacher marks** (written before the first run), loom only:
//! 1. thread_3's `load data0 -> 0` (or `data1`): kind `stale_read`, "stale:
//!    thread_1 wrote 42 at step N, and thread_3 came after it through sync2".
//! 2. thread_2's `load sync1 -> true` (Relaxed): kind `no_sync`, "this
//!    Relaxed load does not synchronise with thread_1's Release store of
//!    sync1, so thread_2's Release store of sync2 passes nothing on".
//!
//! No mark on the spin iterations (reads of `false` that are simply early),
//! on thread_1's Relaxed data stores (Relaxed is right there, as in the
//! book), on thread_1's and thread_2's Release stores. shuttle: 0 marks
//! (a backend that cannot see weak memory).
//!
//! **Controls.** (1) The listing as printed: thread_2 loads `sync1` Acquire.
//! (2) Williams's variant right after listing 5.9: one `sync` variable,
//! thread_2 advances it 1 -> 2 with an `AcqRel` compare-exchange (retrying
//! with `expected = 1`), thread_3 waits for 2 with Acquire.

use racelab::explore::{FailureKind, Scenario};
use racelab::sync::atomic::{AtomicBool, AtomicI32, Ordering};
use racelab::sync::{hint, thread, Arc};

use crate::common;

struct Shared {
    data: [AtomicI32; 2],
    sync1: AtomicBool,
    sync2: AtomicBool,
}

fn chain(name: &'static str, middle_load: Ordering) -> Scenario<String> {
    Scenario::new(name, move || {
        let s = Arc::new(Shared {
            data: [AtomicI32::new(0).named("data0"), AtomicI32::new(0).named("data1")],
            sync1: AtomicBool::new(false).named("sync1"),
            sync2: AtomicBool::new(false).named("sync2"),
        });
        let s1 = Arc::clone(&s);
        let t1 = thread::Builder::new()
            .name("thread_1")
            .spawn(move || {
                s1.data[0].store(42, Ordering::Relaxed);
                s1.data[1].store(97, Ordering::Relaxed);
                s1.sync1.store(true, Ordering::Release);
            })
            .unwrap();
        let s2 = Arc::clone(&s);
        let t2 = thread::Builder::new()
            .name("thread_2")
            .spawn(move || {
                while !s2.sync1.load(middle_load) {
                    hint::spin_loop();
                }
                s2.sync2.store(true, Ordering::Release);
            })
            .unwrap();
        let s3 = Arc::clone(&s);
        let t3 = thread::Builder::new()
            .name("thread_3")
            .spawn(move || {
                while !s3.sync2.load(Ordering::Acquire) {
                    hint::spin_loop();
                }
                [s3.data[0].load(Ordering::Relaxed), s3.data[1].load(Ordering::Relaxed)]
            })
            .unwrap();
        t1.join().unwrap();
        t2.join().unwrap();
        let seen = t3.join().unwrap();
        format!("thread_3 read {seen:?}")
    })
    .expect_only("thread_3 read [42, 97]".to_string())
}

fn one_sync_acq_rel() -> Scenario<String> {
    Scenario::new("cia::transitive_one_sync_acq_rel", || {
        let data = Arc::new([AtomicI32::new(0).named("data0"), AtomicI32::new(0).named("data1")]);
        let sync = Arc::new(AtomicI32::new(0).named("sync"));
        let (d1, y1) = (Arc::clone(&data), Arc::clone(&sync));
        let t1 = thread::Builder::new()
            .name("thread_1")
            .spawn(move || {
                d1[0].store(42, Ordering::Relaxed);
                d1[1].store(97, Ordering::Relaxed);
                y1.store(1, Ordering::Release);
            })
            .unwrap();
        let y2 = Arc::clone(&sync);
        let t2 = thread::Builder::new()
            .name("thread_2")
            .spawn(move || {
                while y2.compare_exchange(1, 2, Ordering::AcqRel, Ordering::Relaxed).is_err() {
                    hint::spin_loop();
                }
            })
            .unwrap();
        let (d3, y3) = (Arc::clone(&data), Arc::clone(&sync));
        let t3 = thread::Builder::new()
            .name("thread_3")
            .spawn(move || {
                while y3.load(Ordering::Acquire) < 2 {
                    hint::spin_loop();
                }
                [d3[0].load(Ordering::Relaxed), d3[1].load(Ordering::Relaxed)]
            })
            .unwrap();
        t1.join().unwrap();
        t2.join().unwrap();
        let seen = t3.join().unwrap();
        format!("thread_3 read {seen:?}")
    })
    .expect_only("thread_3 read [42, 97]".to_string())
}

#[test]
fn racy_under_loom() {
    let report = common::explore(
        &chain("cia::transitive_relaxed_middle", Ordering::Relaxed),
        &common::loom(),
    );
    report.assert_racy(Some(FailureKind::ForbiddenOutcome));
}

/// shuttle runs every atomic as SeqCst: the weak outcome cannot appear.
#[test]
fn blind_under_shuttle() {
    let report = common::explore(
        &chain("cia::transitive_relaxed_middle", Ordering::Relaxed),
        &common::shuttle(),
    );
    assert!(report.failure.is_none(), "shuttle cannot reach a weak-memory outcome");
}

#[test]
fn acquire_middle_holds() {
    for explorer in [common::loom(), common::shuttle()] {
        common::explore(&chain("cia::transitive_acquire", Ordering::Acquire), &explorer).assert_holds();
    }
}

#[test]
fn acq_rel_cas_holds() {
    for explorer in [common::loom(), common::shuttle()] {
        common::explore(&one_sync_acq_rel(), &explorer).assert_holds();
    }
}
