//! Order violation (OSTEP ch. 32, "Common Concurrency Problems"): main
//! creates a thread, then sets `mThread`; the new thread reads
//! `mThread->State` at once, assuming main has already set it. Here
//! `m_thread` is a plain cell (0 = not yet set).
//!
//! Teacher marks (written before looking at racelab's marks):
//! 1. child's read of `m_thread` (-> 0, before main's write): it races with
//!    main's write of `m_thread`, nothing orders them (data race / missing
//!    synchronisation: the order violation). Under loom the race may be
//!    flagged on whichever of the two accesses comes second; either is the
//!    equivalent step.
//! Total: 1 mark.

use racelab::explore::{Explorer, Scenario};
use racelab::sync::cell::UnsafeCell;
use racelab::sync::{thread, Arc};

struct Shared(UnsafeCell<u32>);
unsafe impl Sync for Shared {}

fn scenario() -> Scenario<String> {
    Scenario::new("blind2::order_violation_init", || {
        let m_thread = Arc::new(Shared(UnsafeCell::new(0u32).named("m_thread")));
        let m = m_thread.clone();
        let child = thread::Builder::new()
            .name("child")
            .spawn(move || m.0.with(|p| unsafe { *p }))
            .unwrap();
        m_thread.0.with_mut(|p| unsafe { *p = 7 });
        format!("child saw state {}", child.join().unwrap())
    })
    .expect_only("child saw state 7".to_string())
}

#[test]
fn loom() {
    super::common::run(&scenario(), &Explorer::loom()).assert_racy(None);
}

#[test]
fn shuttle() {
    // Observed in round 2: shuttle ran 1 execution and said "holds" (cell
    // accesses were no scheduling points for it). They are now, so shuttle
    // schedules the child's read before main's write and finds the order
    // violation (it still detects no data race as such).
    let r = super::common::run(&scenario(), &Explorer::shuttle());
    r.assert_racy(None);
}

/// Variant B, written after variant A's shuttle run (before looking at B's
/// marks): `m_thread` as a SeqCst atomic, so every backend can schedule the
/// child's read before main's write. The outcome "child saw 0" is the order
/// violation.
///
/// Teacher marks for B:
/// 1. child's `load m_thread -> 0`: reads before main's initialisation at the
///    later `store m_thread <- 7`, nothing makes main's store come first
///    (missing synchronisation / order violation).
/// Total: 1 mark.
fn scenario_b() -> Scenario<String> {
    use racelab::sync::atomic::{AtomicU32, Ordering::SeqCst};
    Scenario::new("blind2::order_violation_init_atomic", || {
        let m_thread = Arc::new(AtomicU32::new(0).named("m_thread"));
        let m = m_thread.clone();
        let child = thread::Builder::new()
            .name("child")
            .spawn(move || m.load(SeqCst))
            .unwrap();
        m_thread.store(7, SeqCst);
        format!("child saw state {}", child.join().unwrap())
    })
    .expect_only("child saw state 7".to_string())
}

#[test]
fn loom_b() {
    super::common::run(&scenario_b(), &Explorer::loom()).assert_racy(None);
}

#[test]
fn shuttle_b() {
    super::common::run(&scenario_b(), &Explorer::shuttle()).assert_racy(None);
}
