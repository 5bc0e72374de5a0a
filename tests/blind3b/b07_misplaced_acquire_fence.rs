//! # b07: an acquire fence on the wrong side of the load
//!
//! Source: Mara Bos, *Rust Atomics and Locks*, ch. 3 "Memory Ordering",
//! §"Fences" (the example where a `Relaxed` load of a ready flag is followed
//! by `fence(Acquire)`, which makes it synchronise with the producer's
//! `fence(Release)` + `Relaxed` store).
//!
//! The bug: the consumer puts `fence(Acquire)` *before* its `Relaxed` load of
//! `ready`. An acquire fence orders the loads before it with what follows; it
//! does nothing for a load that comes after it. So seeing `ready == true`
//! does not make the producer's `data = 42` visible: the consumer can read
//! `ready = true`, then `data = 0`. The producer's half (`data.store(42,
//! Relaxed); fence(Release); ready.store(true, Relaxed)`) is right.
//!
//! ## Teacher marks (written before looking at racelab's marks)
//!
//! 1. `consumer` `load data -> 0`: **stale read**, "stale: step N wrote 42"
//!    (the producer's store, which the consumer's read of `ready` should have
//!    made visible).
//! 2. `consumer` `load ready -> true` (Relaxed): **no synchronisation**, "this
//!    Relaxed load does not synchronise with the producer's release fence:
//!    the acquire fence came before it, it must come after". Lenient: the
//!    same explanation on the consumer's `fence Acquire` line.
//!
//! No mark belongs on the producer's lines (its release fence is correctly
//! placed), except as the other end named in a mark's text.
//!
//! Shuttle runs every atomic as SeqCst: it cannot see this (a documented
//! blind spot, but the wrong verdict for the program).

use racelab::explore::{Explorer, Grade, Scenario};
use racelab::sync::atomic::{fence, AtomicBool, AtomicU64, Ordering::*};
use racelab::sync::{thread, Arc};

use crate::common;

struct Shared {
    data: AtomicU64,
    ready: AtomicBool,
}

fn scenario(fixed: bool) -> Scenario<String> {
    let name = if fixed { "b07::fixed" } else { "b07::fence_before_load" };
    Scenario::new(name, move || {
        let s = Arc::new(Shared {
            data: AtomicU64::new(0).named("data"),
            ready: AtomicBool::new(false).named("ready"),
        });
        let p = Arc::clone(&s);
        let producer = thread::Builder::new()
            .name("producer")
            .spawn(move || {
                p.data.store(42, Relaxed);
                fence(Release);
                p.ready.store(true, Relaxed);
            })
            .unwrap();
        let c = Arc::clone(&s);
        let consumer = thread::Builder::new()
            .name("consumer")
            .spawn(move || {
                if !fixed {
                    fence(Acquire); // the bug: before the load it should order
                }
                if c.ready.load(Relaxed) {
                    if fixed {
                        fence(Acquire);
                    }
                    format!("data = {}", c.data.load(Relaxed))
                } else {
                    "not ready".to_owned()
                }
            })
            .unwrap();
        producer.join().unwrap();
        consumer.join().unwrap()
    })
    .expect("not ready, or data = 42", |o: &String| {
        if o == "not ready" || o == "data = 42" {
            Grade::Acceptable
        } else {
            Grade::Forbidden
        }
    })
}

#[test]
fn b07_loom_finds_the_stale_data() {
    common::racy(&scenario(false), &Explorer::loom());
}

// Wrong verdict (see SCORES.md): shuttle reports "holds" for this broken
// program (documented: every atomic runs as SeqCst; the report's note says
// so).
#[test]
#[ignore = "wrong verdict: shuttle says holds for a broken program"]
fn b07_shuttle_finds_the_stale_data() {
    common::racy(&scenario(false), &Explorer::shuttle());
}

#[test]
fn b07_fixed_holds_under_loom() {
    common::holds(&scenario(true), &Explorer::loom());
}

#[test]
fn b07_fixed_holds_under_shuttle() {
    common::holds(&scenario(true), &Explorer::shuttle());
}
