//! Little Book of Semaphores 4.2.2 (readers-writers, the "lightswitch"):
//! the readers' counter must be updated under a mutex; here it is a plain
//! load/store, so two readers leaving together lose a decrement and the
//! room is never released (writers starve forever).
//!
//! TEACHER MARKS (written before any run):
//! 1. the second reader's `store readers <- n` (enter or exit) computed
//!    from a load that another reader's store has since overwritten ->
//!    kind lost_update ("overwrites step N").
//!
//! One mark (per lost update in the interleaving shown).

use racelab::explore::Scenario;
use racelab::sync::atomic::{AtomicI32, Ordering::SeqCst};
use racelab::sync::{thread, Arc, Semaphore};

fn read_once(readers: &AtomicI32, room: &Semaphore) {
    let n = readers.load(SeqCst);
    readers.store(n + 1, SeqCst);
    if n == 0 {
        room.acquire();
    }
    // ... read ...
    let n = readers.load(SeqCst);
    readers.store(n - 1, SeqCst);
    if n == 1 {
        room.release();
    }
}

fn scenario() -> Scenario<String> {
    Scenario::new("blind::lightswitch_no_mutex", || {
        let readers = Arc::new(AtomicI32::new(0).named("readers"));
        let room = Arc::new(Semaphore::new(1).named("room"));
        let (r, m) = (readers.clone(), room.clone());
        let alice = thread::Builder::new()
            .name("alice")
            .spawn(move || read_once(&r, &m))
            .unwrap();
        let (r, m) = (readers.clone(), room.clone());
        let bob = thread::Builder::new()
            .name("bob")
            .spawn(move || read_once(&r, &m))
            .unwrap();
        alice.join().unwrap();
        bob.join().unwrap();
        let free = room.try_acquire();
        format!("readers = {}, room free = {free}", readers.load(SeqCst))
    })
    .expect_only("readers = 0, room free = true".to_string())
}

#[test]
fn lightswitch_no_mutex() {
    let (l, s) = crate::both(&scenario());
    l.assert_racy(None);
    s.assert_racy(None);
}
