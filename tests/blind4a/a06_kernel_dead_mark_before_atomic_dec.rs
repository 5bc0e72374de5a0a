//! # a06: a death mark set before a relaxed atomic_dec (Linux kernel)
//!
//! Source: the Linux kernel's `Documentation/memory-barriers.txt` (and
//! `atomic_t.txt`), the `smp_mb__before_atomic()` example:
//! `obj->dead = 1; smp_mb__before_atomic(); atomic_dec(&obj->ref_count);`
//! "This makes sure that the death mark on the object is perceived to be set
//! *before* the reference counter is decremented."
//!
//! Bug: without the barrier, `atomic_dec` (a non-value-returning RMW) is
//! unordered: a CPU that sees the count reach 0 may still see `dead == 0`.
//! Model: `killer` stores `dead <- 1` (Relaxed, the kernel's plain store) and
//! does `ref_count.fetch_sub(1, Relaxed)`; `reaper` loads `ref_count` with
//! Acquire and, if it is 0, loads `dead`. Forbidden: `ref=0 dead=0`.
//! shuttle runs every atomic as SeqCst, so it cannot show this; the right
//! verdict there is "holds" (its documented blind spot).
//!
//! ## Teacher marks (written before looking at racelab's marks), loom
//! 1. reaper's `load dead -> 0`: **stale read**: killer's `store dead <- 1`
//!    (step N) precedes, in killer's program order, the decrement reaper
//!    saw, but nothing made it visible. The text must name killer's store.
//! 2. killer's `fetch_sub ref_count 1 -> 0` (Relaxed): **no_sync**: a Relaxed
//!    RMW releases nothing, so reaper's Acquire load of 0 does not
//!    synchronise with killer's store. Lenient: a `no_sync` mark on reaper's
//!    Acquire load whose text blames the Relaxed decrement.
//!
//! Spurious: a `data_race` (no `UnsafeCell`), a `lost_update`, a mark that
//! blames reaper's Acquire load itself as too weak (Acquire is the right
//! ordering there), any mark under shuttle (no failure to explain).

use racelab::explore::{Explorer, Grade, Scenario};
use racelab::sync::atomic::{fence, AtomicI32, AtomicU8, Ordering::*};
use racelab::sync::{thread, Arc};

use crate::common;

#[derive(Clone, Copy)]
enum Variant {
    /// `dead = 1; atomic_dec(&ref_count)`: no barrier.
    Racy,
    /// `dead = 1; smp_mb__before_atomic(); atomic_dec(...)`: a release fence
    /// before the relaxed decrement (the kernel's fix, another primitive).
    Fence,
    /// The decrement itself with Release ordering (`atomic_dec_return_release`).
    ReleaseDec,
}

struct Obj {
    dead: AtomicU8,
    ref_count: AtomicI32,
}

fn scenario(name: &str, variant: Variant) -> Scenario<String> {
    Scenario::new(name, move || {
        let obj = Arc::new(Obj {
            dead: AtomicU8::new(0).named("dead"),
            ref_count: AtomicI32::new(1).named("ref_count"),
        });
        let k = Arc::clone(&obj);
        let killer = thread::Builder::new()
            .name("killer")
            .spawn(move || {
                k.dead.store(1, Relaxed);
                match variant {
                    Variant::Racy => {
                        k.ref_count.fetch_sub(1, Relaxed);
                    }
                    Variant::Fence => {
                        fence(Release);
                        k.ref_count.fetch_sub(1, Relaxed);
                    }
                    Variant::ReleaseDec => {
                        k.ref_count.fetch_sub(1, Release);
                    }
                }
            })
            .unwrap();
        let r = Arc::clone(&obj);
        let reaper = thread::Builder::new()
            .name("reaper")
            .spawn(move || {
                let refs = r.ref_count.load(Acquire);
                if refs == 0 {
                    format!("ref=0 dead={}", r.dead.load(Relaxed))
                } else {
                    format!("ref={refs} (not looked)")
                }
            })
            .unwrap();
        killer.join().unwrap();
        reaper.join().unwrap()
    })
    .expect("a zero count implies the death mark", |o: &String| {
        if o == "ref=0 dead=0" {
            Grade::Forbidden
        } else {
            Grade::Acceptable
        }
    })
}

#[test]
fn loom_finds_the_missing_death_mark() {
    common::racy(
        &scenario("blind4a::a06_dead_mark_atomic_dec", Variant::Racy),
        Explorer::loom(),
    );
}

/// shuttle treats every atomic as SeqCst: the bug cannot show there, and
/// "holds" is the right (documented) verdict for that backend.
#[test]
fn shuttle_cannot_see_it() {
    common::holds(
        &scenario("blind4a::a06_dead_mark_atomic_dec", Variant::Racy),
        Explorer::shuttle(),
    );
}

#[test]
fn fence_holds_on_loom() {
    common::holds(
        &scenario("blind4a::a06_dead_mark_fence", Variant::Fence),
        Explorer::loom(),
    );
}

#[test]
fn fence_holds_on_shuttle() {
    common::holds(
        &scenario("blind4a::a06_dead_mark_fence", Variant::Fence),
        Explorer::shuttle(),
    );
}

#[test]
fn release_dec_holds_on_loom() {
    common::holds(
        &scenario("blind4a::a06_dead_mark_release_dec", Variant::ReleaseDec),
        Explorer::loom(),
    );
}

#[test]
fn release_dec_holds_on_shuttle() {
    common::holds(
        &scenario("blind4a::a06_dead_mark_release_dec", Variant::ReleaseDec),
        Explorer::shuttle(),
    );
}
