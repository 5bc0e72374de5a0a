//! Stallings, *Operating Systems: Internals and Design Principles* (7th-9th
//! eds.), Appendix A "Topics in Concurrency", §A.1 "Mutual Exclusion:
//! Software Approaches", Dekker's algorithm, **Third Attempt** (Fig. A.1c):
//! each process sets its own flag *before* testing the other's:
//! `flag[0] = true; while (flag[1]) /* do nothing */; /* critical section
//! */; flag[0] = false;` (and symmetrically for P1). Stallings: this
//! guarantees mutual exclusion, but "if both processes set their flags to
//! true before either has executed the while statement, then each will think
//! that the other has entered its critical section, causing deadlock." The
//! same algorithm, with the same analysis, in course notes:
//! <http://replay.waybackmachine.org/20060524034819/http:/www.cs.wvu.edu/~jdm/classes/cs356/notes/mutex/status2.html>
//! ("Incorrect Algorithm No. 3") and
//! <http://kunz-pc.sce.carleton.ca/sce574/operatingsystem_files/slide0079.htm>.
//!
//! Transcription: `flag0`, `flag1` are `AtomicBool`s with `SeqCst` (the
//! book assumes sequential consistency); the busy wait calls
//! `hint::spin_loop`; the critical section increments a shared counter
//! (load, then store). Each process enters once; the counter must end at 2.
//!
//! # Teacher marks (written before the first run)
//! For the execution in which both flags are set before either test:
//! - P0's busy-wait `load flag1 -> true` (repeated for ever): `deadlock`:
//!   "P0 waits for flag1 to drop; P1 drops it only after its critical
//!   section, which it will not enter while flag0 is up (a cycle)";
//! - P1's busy-wait `load flag0 -> true`: `deadlock`, the other half of
//!   the cycle.
//!   A mark on the two `store flagN <- true` steps that says they crossed
//!   (each set before the other's test) is lenient.
//!
//! No mark on the critical section (never reached) or on the spawns; the
//! spinning itself is not a bug in *other* executions (it is the protocol's
//! wait). Expected verdict: `step limit` (a livelock/deadlock by spinning:
//! both threads keep running and never finish) on both backends; a
//! `deadlock` verdict would be as good.

use racelab::explore::{FailureKind, Scenario};
use racelab::sync::atomic::{AtomicBool, AtomicU32, Ordering};
use racelab::sync::{hint, thread, Arc, Mutex};

use super::common;

struct Shared {
    flag: [AtomicBool; 2],
    turn: AtomicU32,
    counter: AtomicU32,
}

fn shared() -> Arc<Shared> {
    Arc::new(Shared {
        flag: [
            AtomicBool::new(false).named("flag0"),
            AtomicBool::new(false).named("flag1"),
        ],
        turn: AtomicU32::new(0).named("turn"),
        counter: AtomicU32::new(0).named("counter"),
    })
}

fn critical_section(s: &Shared) {
    let c = s.counter.load(Ordering::SeqCst);
    s.counter.store(c + 1, Ordering::SeqCst);
}

/// Runs `protocol(shared, i)` as P0 and P1; returns the counter.
fn two_processes(protocol: fn(&Shared, usize)) -> u32 {
    let s = shared();
    let handles: Vec<_> = (0..2)
        .map(|i| {
            let s = Arc::clone(&s);
            thread::Builder::new()
                .name(format!("P{i}"))
                .spawn(move || protocol(&s, i))
                .unwrap()
        })
        .collect();
    for h in handles {
        h.join().unwrap();
    }
    s.counter.load(Ordering::SeqCst)
}

fn third_attempt(s: &Shared, i: usize) {
    let j = 1 - i;
    s.flag[i].store(true, Ordering::SeqCst);
    while s.flag[j].load(Ordering::SeqCst) {
        hint::spin_loop(); // do nothing
    }
    critical_section(s);
    s.flag[i].store(false, Ordering::SeqCst);
}

/// Stallings' correct solution in the same appendix (Peterson's algorithm,
/// Fig. A.3): set the flag, give the turn away, wait while the other is
/// interested and has the turn.
fn peterson(s: &Shared, i: usize) {
    let j = 1 - i;
    s.flag[i].store(true, Ordering::SeqCst);
    s.turn.store(j as u32, Ordering::SeqCst);
    while s.flag[j].load(Ordering::SeqCst) && s.turn.load(Ordering::SeqCst) == j as u32 {
        hint::spin_loop();
    }
    critical_section(s);
    s.flag[i].store(false, Ordering::SeqCst);
}

fn racy() -> Scenario<u32> {
    Scenario::new("blind9a::stallings_third_attempt", || two_processes(third_attempt)).expect_only(2)
}

/// Control 1: Peterson's algorithm, from the same appendix.
fn fixed_peterson() -> Scenario<u32> {
    Scenario::new("blind9a::stallings_peterson", || two_processes(peterson)).expect_only(2)
}

/// Control 2: no flags at all; the critical section under a `Mutex`.
fn fixed_mutex() -> Scenario<u32> {
    Scenario::new("blind9a::stallings_mutex", || {
        let counter = Arc::new(Mutex::new(0u32).named("counter"));
        let handles: Vec<_> = (0..2)
            .map(|i| {
                let c = Arc::clone(&counter);
                thread::Builder::new()
                    .name(format!("P{i}"))
                    .spawn(move || {
                        let mut g = c.lock().unwrap();
                        let v = *g;
                        *g = v + 1;
                    })
                    .unwrap()
            })
            .collect();
        for h in handles {
            h.join().unwrap();
        }
        let v = *counter.lock().unwrap();
        v
    })
    .expect_only(2)
}

#[test]
fn racy_loom() {
    let r = common::explore(&racy(), &common::loom());
    r.assert_racy(Some(FailureKind::StepLimit));
}

#[test]
fn racy_shuttle() {
    let r = common::explore(&racy(), &common::shuttle());
    r.assert_racy(Some(FailureKind::StepLimit));
}

#[test]
fn fixes_hold() {
    for s in [fixed_peterson(), fixed_mutex()] {
        common::explore(&s, &common::loom()).assert_holds();
        common::explore(&s, &common::shuttle()).assert_holds();
    }
}
