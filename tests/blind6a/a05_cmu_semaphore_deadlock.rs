//! a05: two semaphores taken in opposite orders.
//!
//! **Source.** CMU 15-213/18-213 "Introduction to Computer Systems", lecture
//! "Synchronization: Advanced" (the slides "Deadlocking With Semaphores" and
//! "Avoided Deadlock in Progress Graph"), after Bryant and O'Hallaron,
//! *Computer Systems: A Programmer's Perspective*, 3rd ed., §12.7.5
//! "Deadlocks" (Figure 12.44, the progress graph of a program that can
//! deadlock). As recalled from the slides (the search corpus held no copy):
//!
//! ```c
//! int main() {
//!     pthread_t tid[2];
//!     Sem_init(&mutex[0], 0, 1);  /* mutex[0] = 1 */
//!     Sem_init(&mutex[1], 0, 1);  /* mutex[1] = 1 */
//!     Pthread_create(&tid[0], NULL, count, (void*) 0);
//!     Pthread_create(&tid[1], NULL, count, (void*) 1);
//!     Pthread_join(tid[0], NULL);
//!     Pthread_join(tid[1], NULL);
//!     printf("cnt=%d\n", cnt);
//! }
//!
//! void *count(void *vargp) {
//!     int i;
//!     int id = (int) vargp;
//!     for (i = 0; i < NITERS; i++) {
//!         P(&mutex[id]); P(&mutex[1-id]);
//!         cnt++;
//!         V(&mutex[id]); V(&mutex[1-id]);
//!     }
//!     return NULL;
//! }
//! ```
//!
//! "Tid[0]: P(s0); P(s1); ... Tid[1]: P(s1); P(s0); ...": each thread can take
//! its first semaphore and then wait forever for the other's.
//!
//! **Transcription.** `mutex[0]`, `mutex[1]` are `racelab::sync::Semaphore`s
//! with one permit, named `mutex[0]` and `mutex[1]`; `P` is `acquire`, `V` is
//! `release`. `cnt` is a plain global: an `UnsafeCell<u64>` named `cnt`.
//! Threads `t0`, `t1`; `NITERS = 1` (one iteration already deadlocks; more
//! only multiply the schedules). The outcome is `cnt`.
//!
//! **The bug.** A deadlock: t0 holds `mutex[0]` and waits for `mutex[1]`;
//! t1 holds `mutex[1]` and waits for `mutex[0]`.
//!
//! **Teacher marks** (written before the first run), on both backends:
//! 1. t0's second `P`, `acquire mutex[1]` (blocked), kind `deadlock`: "t0
//!    waits for mutex[1], whose permit t1 took, while holding mutex[0]".
//! 2. t1's second `P`, `acquire mutex[0]` (blocked), kind `deadlock`: "t1
//!    waits for mutex[0], whose permit t0 took" (the other half of the cycle).
//!    Two marks per backend. A single mark that names the whole cycle (both
//!    threads, both semaphores) on one of the two waits earns that one
//!    strictly and the other leniently.
//! - No mark on the first `P`s (each succeeds; they are the "holds" edges,
//!   which the text of the wait marks should name), on main's joins (main
//!   waits for the threads, not part of the cycle), nor on `cnt`.
//!
//! **Controls.** (1) The slides' fix: both threads take `mutex[0]` then
//! `mutex[1]` (one global order). (2) Another primitive: one `Mutex<u64>`
//! guarding `cnt`, no second lock at all.

use racelab::explore::{FailureKind, Scenario};
use racelab::sync::cell::UnsafeCell;
use racelab::sync::{thread, Arc, Mutex, Semaphore};

use crate::common;

struct Shared {
    mutex: [Semaphore; 2],
    cnt: UnsafeCell<u64>,
}
// SAFETY: `cnt` is only touched while both semaphores are held.
unsafe impl Sync for Shared {}

const NITERS: usize = 1;

fn count_program(same_order: bool) -> u64 {
    let shared = Arc::new(Shared {
        mutex: [Semaphore::new(1).named("mutex[0]"), Semaphore::new(1).named("mutex[1]")],
        cnt: UnsafeCell::new(0).named("cnt"),
    });
    let tids: Vec<_> = (0..2usize)
        .map(|id| {
            let s = Arc::clone(&shared);
            thread::Builder::new()
                .name(format!("t{id}"))
                .spawn(move || {
                    let (first, second) = if same_order { (0, 1) } else { (id, 1 - id) };
                    for _ in 0..NITERS {
                        s.mutex[first].acquire();
                        s.mutex[second].acquire();
                        s.cnt.with_mut(|p| unsafe { *p += 1 });
                        s.mutex[first].release();
                        s.mutex[second].release();
                    }
                })
                .unwrap()
        })
        .collect();
    for t in tids {
        t.join().unwrap();
    }
    shared.cnt.with(|p| unsafe { *p })
}

fn racy() -> Scenario<u64> {
    Scenario::new("blind6a::cmu_semaphore_deadlock", || count_program(false)).expect_only(2 * NITERS as u64)
}

fn fixed_same_order() -> Scenario<u64> {
    Scenario::new("blind6a::cmu_semaphore_same_order", || count_program(true)).expect_only(2 * NITERS as u64)
}

fn fixed_one_mutex() -> Scenario<u64> {
    Scenario::new("blind6a::cmu_one_mutex", || {
        let cnt = Arc::new(Mutex::new(0u64).named("cnt"));
        let tids: Vec<_> = (0..2)
            .map(|id| {
                let cnt = Arc::clone(&cnt);
                thread::Builder::new()
                    .name(format!("t{id}"))
                    .spawn(move || {
                        for _ in 0..NITERS {
                            *cnt.lock().unwrap() += 1;
                        }
                    })
                    .unwrap()
            })
            .collect();
        for t in tids {
            t.join().unwrap();
        }
        let n = *cnt.lock().unwrap();
        n
    })
    .expect_only(2 * NITERS as u64)
}

#[test]
fn racy_loom() {
    let report = common::explore(&racy(), &common::loom());
    report.assert_racy(Some(FailureKind::Deadlock));
}

#[test]
fn racy_shuttle() {
    let report = common::explore(&racy(), &common::shuttle());
    report.assert_racy(Some(FailureKind::Deadlock));
}

#[test]
fn fixed_same_order_holds() {
    common::explore(&fixed_same_order(), &common::loom()).assert_holds();
    common::explore(&fixed_same_order(), &common::shuttle()).assert_holds();
}

#[test]
fn fixed_one_mutex_holds() {
    common::explore(&fixed_one_mutex(), &common::loom()).assert_holds();
    common::explore(&fixed_one_mutex(), &common::shuttle()).assert_holds();
}
