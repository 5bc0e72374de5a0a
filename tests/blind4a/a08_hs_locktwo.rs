//! # a08: LockTwo, the lock that needs the other thread to come (Herlihy & Shavit)
//!
//! Source: Herlihy & Shavit, *The Art of Multiprocessor Programming*,
//! §2.3.2, the `LockTwo` class: `lock() { victim = i; while (victim == i) {} }`,
//! `unlock() {}`. "LockTwo deadlocks if one thread runs completely ahead of
//! the other."
//!
//! Bug: a thread waits until the *other* thread makes itself the victim.
//! Mutual exclusion holds, but whichever thread writes `victim` last waits
//! for a write that will never come: the other thread has passed, left its
//! critical section and finished. With each thread locking once this
//! happens in every execution. Model: `victim` an `AtomicU8` (SeqCst;
//! alice = 1, bob = 2), the wait spins with `hint::spin_loop`; `entered`
//! counts critical sections. Expected: both enter (`2`); what racelab should
//! report is a livelock (`step limit`) or a deadlock.
//!
//! ## Teacher marks (written before looking at racelab's marks)
//! 1. the starving thread's spinning `load victim -> <its own id>` (the
//!    run of loads): **deadlock / livelock**: it waits for the other thread
//!    to write `victim`, and that thread has finished (the text must say
//!    so, or that no thread that can still run will write it). Accepted
//!    kinds: `deadlock`, or a `stale_check` that explicitly calls it a
//!    livelock with true text.
//! 2. the starving thread's `store victim <- <its own id>`, made after the
//!    other thread had already passed its wait (or, lenient, the other
//!    thread's last step): **order violation**: "let the other go first"
//!    when the other has already gone.
//!
//! Spurious: a `stale_read` on the spin loads (each reads the latest and
//! only value), a `data_race`, marks on the other thread's critical section,
//! a `lost_update` on `victim` (blind stores) or on `entered`.

use racelab::explore::{Explorer, Scenario};
use racelab::sync::atomic::{AtomicU8, Ordering::SeqCst};
use racelab::sync::{hint, thread, Arc};

use crate::common;

struct LockTwo {
    victim: AtomicU8,
}

impl LockTwo {
    fn lock(&self, me: u8) {
        self.victim.store(me, SeqCst);
        while self.victim.load(SeqCst) == me {
            hint::spin_loop();
        }
    }
    fn unlock(&self) {}
}

fn scenario() -> Scenario<u8> {
    Scenario::new("blind4a::a08_locktwo", || {
        let lock = Arc::new(LockTwo {
            victim: AtomicU8::new(0).named("victim"),
        });
        let entered = Arc::new(AtomicU8::new(0).named("entered"));
        let spawn = |name: &str, me: u8| {
            let (lock, entered) = (Arc::clone(&lock), Arc::clone(&entered));
            thread::Builder::new()
                .name(name)
                .spawn(move || {
                    lock.lock(me);
                    entered.fetch_add(1, SeqCst);
                    lock.unlock();
                })
                .unwrap()
        };
        let alice = spawn("alice", 1);
        let bob = spawn("bob", 2);
        alice.join().unwrap();
        bob.join().unwrap();
        entered.load(SeqCst)
    })
    .expect_only(2)
}

#[test]
fn loom_finds_the_starved_thread() {
    common::racy(&scenario(), Explorer::loom());
}

#[test]
fn shuttle_finds_the_starved_thread() {
    common::racy(&scenario(), Explorer::shuttle());
}
