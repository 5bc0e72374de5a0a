//! # Linux f97bb5272d9e: "sched: Fix data-race in wakeup"
//!
//! **Source.** Linux kernel commit f97bb5272d9e ("sched: Fix data-race in
//! wakeup", Peter Zijlstra, v5.10-rc5, November 2020; LKML thread "[PATCH]
//! sched: Fix data-race in wakeup", Message-ID
//! <20201117083016.GK3121392@hirez.programming.kicks-ass.net>):
//!
//! > Mel reported that on some ARM64 platforms loadavg goes bananas and
//! > tracked it down to the following data race:
//! >
//! > ```text
//! >   CPU0                                  CPU1
//! >   schedule()
//! >     prev->sched_contributes_to_load = X;
//! >     deactivate_task(prev);
//! >                                         try_to_wake_up()
//! >                                           if (p->on_rq &&) // false
//! >                                           if (smp_load_acquire(&p->on_cpu) && // true
//! >                                               ttwu_queue_wakelist())
//! >                                                 p->sched_remote_wakeup = Y;
//! >     smp_store_release(prev->on_cpu, 0);
//! > ```
//! >
//! > where both p->sched_contributes_to_load and p->sched_remote_wakeup are
//! > in the same word, and thus the stores X and Y race (and can clobber one
//! > another's data).
//!
//! The fix moved `sched_remote_wakeup` out of that bitfield word into a word
//! of its own.
//!
//! **The program.** Thread `cpu0` runs `schedule()` for task `p`: sets its
//! `sched_contributes_to_load` bit (a bitfield store is a read of the whole
//! word and a write of it back: `Relaxed` load + store), `deactivate_task`
//! (`on_rq = 0`, a plain store: `Relaxed`), then `smp_store_release(on_cpu,
//! 0)`. Thread `cpu1` runs `try_to_wake_up(p)`: if `on_rq` (plain load) it
//! takes the `ttwu_runnable` path; else if `smp_load_acquire(on_cpu)` is still
//! 1 it queues `p` on the remote wake list and sets `sched_remote_wakeup` (the
//! same read and write of the word); else it wakes `p` locally.
//!
//! **The bug.** A lost update that only weak memory allows: `cpu1` has seen
//! `on_rq == 0`, which `cpu0` wrote *after* its bitfield store, yet nothing
//! orders the two plain stores, so `cpu1`'s read of the word may still return
//! the value without `sched_contributes_to_load`; its write-back then erases
//! `cpu0`'s bit. (Under sequential consistency `cpu1`'s read comes after
//! `cpu0`'s store and keeps it: shuttle cannot see this bug at all.)
//!
//! **Teacher marks** (loom, written before the first run):
//! 1. `cpu1`'s `store flags <- 2` (writing `sched_remote_wakeup`): kind
//!    `lost_update`: "overwrites cpu0's `sched_contributes_to_load` store
//!    (its read came from before that store)".
//! 2. `cpu1`'s `load flags -> 0`: kind `stale_read`: "stale: cpu0 wrote 1 at
//!    step N, which cpu1 had already seen the effects of (`on_rq == 0`)".
//!
//! A `no_sync` mark on `cpu1`'s `Relaxed` `load on_rq -> false` ("does not
//! synchronise with cpu0's store") is true and relevant: noted, not required.
//! Shuttle: no marks (it should hold). No mark belongs on: `cpu0`'s steps, the
//! `on_cpu` release store and acquire load (correct, and the load reads the
//! initial 1), the spawns and joins, the final loads.
//!
//! **Controls.** (a) The fix: `sched_remote_wakeup` in a word of its own.
//! (b) Both bits in one word, but each set with one atomic `fetch_or`.

use racelab::explore::{FailureKind, Grade, Scenario};
use racelab::sync::atomic::{AtomicBool, AtomicU8, Ordering};
use racelab::sync::{thread, Arc};

use crate::common;

const CONTRIB: u8 = 1; // sched_contributes_to_load
const REMOTE: u8 = 2; // sched_remote_wakeup

#[derive(Clone, Copy, PartialEq)]
enum Variant {
    /// Both bits in one word, each set by a read and a write of the word.
    SharedWord,
    /// The fix: `sched_remote_wakeup` in a word of its own.
    OwnWord,
    /// Both bits in one word, each set with `fetch_or`.
    FetchOr,
}

struct TaskStruct {
    flags: AtomicU8,
    remote_word: AtomicU8,
    on_rq: AtomicBool,
    on_cpu: AtomicBool,
    v: Variant,
}

impl TaskStruct {
    /// `p->field = 1` for a one-bit field of the shared word.
    fn set_bit(&self, bit: u8) {
        match self.v {
            Variant::FetchOr => {
                self.flags.fetch_or(bit, Ordering::Relaxed);
            }
            _ => {
                let w = self.flags.load(Ordering::Relaxed);
                self.flags.store(w | bit, Ordering::Relaxed);
            }
        }
    }

    fn set_remote_wakeup(&self) {
        match self.v {
            Variant::OwnWord => self.remote_word.store(REMOTE, Ordering::Relaxed),
            _ => self.set_bit(REMOTE),
        }
    }

    fn bits(&self) -> u8 {
        self.flags.load(Ordering::Relaxed) | self.remote_word.load(Ordering::Relaxed)
    }
}

/// CPU0: `__schedule()` putting `prev` to sleep.
fn schedule(p: &TaskStruct) {
    p.set_bit(CONTRIB); // prev->sched_contributes_to_load = 1
    p.on_rq.store(false, Ordering::Relaxed); // deactivate_task()
    p.on_cpu.store(false, Ordering::Release); // finish_task(): smp_store_release
}

/// CPU1: `try_to_wake_up(p)`; returns the path taken.
fn try_to_wake_up(p: &TaskStruct) -> &'static str {
    if p.on_rq.load(Ordering::Relaxed) {
        return "ttwu_runnable";
    }
    if p.on_cpu.load(Ordering::Acquire) {
        p.set_remote_wakeup(); // ttwu_queue_wakelist(): p->sched_remote_wakeup = 1
        return "wakelist";
    }
    "local"
}

fn scenario(name: &str, v: Variant) -> Scenario<String> {
    Scenario::new(name, move || {
        let p = Arc::new(TaskStruct {
            flags: AtomicU8::new(0).named("flags"),
            remote_word: AtomicU8::new(0).named("remote_word"),
            on_rq: AtomicBool::new(true).named("on_rq"),
            on_cpu: AtomicBool::new(true).named("on_cpu"),
            v,
        });
        let (p0, p1) = (Arc::clone(&p), Arc::clone(&p));
        let cpu0 = thread::Builder::new()
            .name("cpu0")
            .spawn(move || schedule(&p0))
            .unwrap();
        let cpu1 = thread::Builder::new()
            .name("cpu1")
            .spawn(move || try_to_wake_up(&p1))
            .unwrap();
        cpu0.join().unwrap();
        let path = cpu1.join().unwrap();
        let bits = p.bits();
        format!(
            "{path}: contributes_to_load={} remote_wakeup={}",
            bits & CONTRIB,
            (bits & REMOTE) >> 1
        )
    })
    .expect(
        "contributes_to_load=1, and remote_wakeup=1 exactly when cpu1 took the wakelist path",
        |o: &String| {
            let ok = o.ends_with("contributes_to_load=1 remote_wakeup=1") && o.starts_with("wakelist")
                || o.ends_with("contributes_to_load=1 remote_wakeup=0") && !o.starts_with("wakelist");
            if ok {
                Grade::Acceptable
            } else {
                Grade::Forbidden
            }
        },
    )
}

#[test]
fn racy_loom() {
    let s = scenario("b06::sched_bitfield_shared_word", Variant::SharedWord);
    common::explore(&s, &common::loom()).assert_racy(Some(FailureKind::ForbiddenOutcome));
}

/// Under sequential consistency cpu1's read follows cpu0's store: shuttle holds.
#[test]
fn racy_shuttle_cannot_see_it() {
    let s = scenario("b06::sched_bitfield_shared_word", Variant::SharedWord);
    common::explore(&s, &common::shuttle()).assert_holds();
}

#[test]
fn control_own_word_loom() {
    let s = scenario("b06::sched_remote_wakeup_own_word", Variant::OwnWord);
    common::explore(&s, &common::loom()).assert_holds();
}

#[test]
fn control_own_word_shuttle() {
    let s = scenario("b06::sched_remote_wakeup_own_word", Variant::OwnWord);
    common::explore(&s, &common::shuttle()).assert_holds();
}

#[test]
fn control_fetch_or_loom() {
    let s = scenario("b06::sched_bitfield_fetch_or", Variant::FetchOr);
    common::explore(&s, &common::loom()).assert_holds();
}

#[test]
fn control_fetch_or_shuttle() {
    let s = scenario("b06::sched_bitfield_fetch_or", Variant::FetchOr);
    common::explore(&s, &common::shuttle()).assert_holds();
}
