//! # The sushi bar non-solution: a woken customer re-enters on a stale check
//!
//! **Source.** Allen B. Downey, *The Little Book of Semaphores* (2nd ed.,
//! v2.2.1), §7.1 "The sushi bar problem", §7.1.2 "Sushi bar non-solution"
//! (Reek's incorrect solution, from K. Reek, "Design patterns for
//! semaphores", SIGCSE 2004). LaTeX source:
//! <https://github.com/AllenDowney/LittleBookOfSemaphores>, `book/book.tex`.
//!
//! **The program.** A bar with 5 seats: arrive while a seat is free and sit
//! down; arrive when all are taken and wait until the whole party has left.
//! The non-solution keeps `eating`, `waiting` and `must_wait` under `mutex`
//! and parks waiters on `block = Semaphore(0)`:
//!
//! ```text
//! mutex.wait()
//! if must_wait:
//!     waiting += 1
//!     mutex.signal()
//!     block.wait()
//!     mutex.wait()      # reacquire mutex
//!     waiting -= 1
//! eating += 1
//! must_wait = (eating == 5)
//! mutex.signal()
//! # eat sushi
//! mutex.wait()
//! eating -= 1
//! if eating == 0:
//!     n = min(5, waiting)
//!     block.signal(n)
//!     must_wait = False
//! mutex.signal()
//! ```
//!
//! Transcription: 1 seat instead of 5 (so three customers show it), the
//! counters in one `Mutex<Bar>` that also keeps the most customers ever
//! seated at once, `block` a `Semaphore`. Customers `alice`, `bob`, `carol`.
//!
//! **The bug (the book's words).** "When the customers wake up, they have to
//! get the mutex back, and that means they have to compete with incoming new
//! threads. If new threads arrive and get the mutex first, they could take
//! all the seats before the waiting threads. [...] it is possible for more
//! than 5 threads to be in the critical section concurrently." The bad
//! execution: alice sits (`eating` 1, `must_wait`); bob finds `must_wait`,
//! waits on `block`; alice leaves (`eating` 0, releases `block`, clears
//! `must_wait`); carol arrives, finds the bar free and sits (`eating` 1,
//! `must_wait`); bob re-takes the mutex and sits too: `eating` 2 on one seat.
//!
//! **Teacher marks:**
//! - **T1** `stale_check` (or `order_violation` "lands between", which a
//!   teacher would accept as the same sentence), on bob's critical section
//!   after he re-takes the mutex (his `lock bar` / the `unlock bar` that
//!   leaves `eating: 2`): "bob acts on his check of `must_wait` made before
//!   he waited (step N); carol's whole entry (step M) landed between alice's
//!   release of `block` and bob's re-entry, and bob never looks at
//!   `must_wait` again: two customers on one seat." A mark on carol's entry
//!   naming bob's re-entry is lenient.
//!
//! No mark belongs on: alice's entry and exit (correct), bob's first
//! critical section and his `acquire block` (waiting is right), carol's
//! entry by itself (it checked `must_wait` under the mutex and it was false:
//! she did nothing wrong; the fault is bob's missing re-check).
//!
//! **Controls.** Reek's two fixes from the book: #1 "I'll do it for you" (the
//! last one out seats the waiters itself, under the mutex); #2 "pass the
//! baton" (the mutex passes from the releasing thread to the woken one, so
//! it must be a `Semaphore`, not a `Mutex`).

use crate::common;
use racelab::explore::{FailureKind, Grade, Scenario};
use racelab::sync::{thread, Arc, Mutex, Semaphore};

const SEATS: u32 = 1;

/// The scoreboard under the mutex, plus `most`: the most customers ever
/// seated at once (what the outcome reports).
#[derive(Debug, Default)]
struct Bar {
    eating: u32,
    waiting: u32,
    must_wait: bool,
    most: u32,
}

fn seat(bar: &mut Bar) {
    bar.eating += 1;
    bar.most = bar.most.max(bar.eating);
    bar.must_wait = bar.eating == SEATS;
}

fn run(name: &'static str, customer: fn(&Mutex<Bar>, &Semaphore)) -> Scenario<u32> {
    Scenario::new(name, move || {
        let shared = Arc::new((
            Mutex::new(Bar::default()).named("bar"),
            Semaphore::new(0).named("block"),
        ));
        let handles: Vec<_> = ["alice", "bob", "carol"]
            .into_iter()
            .map(|who| {
                let s = Arc::clone(&shared);
                thread::Builder::new()
                    .name(who)
                    .spawn(move || customer(&s.0, &s.1))
                    .unwrap()
            })
            .collect();
        for h in handles {
            h.join().unwrap();
        }
        let most = shared.0.lock().unwrap().most;
        most
    })
    .expect("never more customers eating than seats (1)", |most: &u32| {
        if *most <= SEATS {
            Grade::Acceptable
        } else {
            Grade::Forbidden
        }
    })
}

/// Reek's non-solution, line by line.
fn non_solution(mutex: &Mutex<Bar>, block: &Semaphore) {
    let mut bar = mutex.lock().unwrap();
    if bar.must_wait {
        bar.waiting += 1;
        drop(bar);
        block.acquire();
        bar = mutex.lock().unwrap(); // reacquire mutex
        bar.waiting -= 1;
    }
    seat(&mut bar);
    drop(bar);
    // eat sushi
    let mut bar = mutex.lock().unwrap();
    bar.eating -= 1;
    if bar.eating == 0 {
        let n = SEATS.min(bar.waiting);
        for _ in 0..n {
            block.release();
        }
        bar.must_wait = false;
    }
}

/// Solution #1, "I'll do it for you": the departing customer seats the
/// waiters before anyone else can take the mutex.
fn do_it_for_you(mutex: &Mutex<Bar>, block: &Semaphore) {
    let mut bar = mutex.lock().unwrap();
    if bar.must_wait {
        bar.waiting += 1;
        drop(bar);
        block.acquire();
    } else {
        seat(&mut bar);
        drop(bar);
    }
    // eat sushi
    let mut bar = mutex.lock().unwrap();
    bar.eating -= 1;
    if bar.eating == 0 {
        let n = SEATS.min(bar.waiting);
        bar.waiting -= n;
        for _ in 0..n {
            seat(&mut bar);
        }
        bar.must_wait = bar.eating == SEATS;
        for _ in 0..n {
            block.release();
        }
    }
}

fn racy() -> Scenario<u32> {
    run("blind6b::sushi_bar_racy", non_solution)
}

fn fix_do_it_for_you() -> Scenario<u32> {
    run("blind6b::sushi_bar_do_it_for_you", do_it_for_you)
}

/// Solution #2, "pass the baton": `mutex` is a semaphore that one thread
/// takes and another releases; the scoreboard lives in a `Mutex` that is
/// only ever taken while holding the baton (so it never blocks), which lets
/// the timeline show its values.
fn fix_pass_the_baton() -> Scenario<u32> {
    Scenario::new("blind6b::sushi_bar_pass_the_baton", || {
        let shared = Arc::new((
            Semaphore::new(1).named("baton"),
            Semaphore::new(0).named("block"),
            Mutex::new(Bar::default()).named("bar"),
        ));
        let handles: Vec<_> = ["alice", "bob", "carol"]
            .into_iter()
            .map(|who| {
                let s = Arc::clone(&shared);
                thread::Builder::new()
                    .name(who)
                    .spawn(move || {
                        let (mutex, block, bar) = (&s.0, &s.1, &s.2);
                        mutex.acquire();
                        let mut b = bar.lock().unwrap();
                        if b.must_wait {
                            b.waiting += 1;
                            drop(b);
                            mutex.release();
                            block.acquire(); // when we resume, we have the mutex
                            b = bar.lock().unwrap();
                            b.waiting -= 1;
                        }
                        seat(&mut b);
                        let pass = b.waiting > 0 && !b.must_wait;
                        drop(b);
                        if pass {
                            block.release(); // and pass the mutex
                        } else {
                            mutex.release();
                        }
                        // eat sushi
                        mutex.acquire();
                        let mut b = bar.lock().unwrap();
                        b.eating -= 1;
                        if b.eating == 0 {
                            b.must_wait = false;
                        }
                        let pass = b.waiting > 0 && !b.must_wait;
                        drop(b);
                        if pass {
                            block.release(); // and pass the mutex
                        } else {
                            mutex.release();
                        }
                    })
                    .unwrap()
            })
            .collect();
        for h in handles {
            h.join().unwrap();
        }
        let most = shared.2.lock().unwrap().most;
        most
    })
    .expect("never more customers eating than seats (1)", |most: &u32| {
        if *most <= SEATS {
            Grade::Acceptable
        } else {
            Grade::Forbidden
        }
    })
}

#[test]
fn sushi_bar_racy_loom() {
    common::explore(&racy(), &common::loom()).assert_racy(Some(FailureKind::ForbiddenOutcome));
}

/// shuttle's 1000 PCT schedules never reach the bad order (nor 20 000, with
/// seeds 0x5eed and 7 and depths 2 to 4, tried by hand): the right verdict
/// is the forbidden outcome 2 that loom finds with 2 preemptions.
#[test]
#[ignore = "racelab (shuttle) says holds in 1000 PCT schedules; the right verdict is a forbidden outcome (2 customers on 1 seat), which loom finds"]
fn sushi_bar_racy_shuttle() {
    common::explore(&racy(), &common::shuttle()).assert_racy(Some(FailureKind::ForbiddenOutcome));
}

#[test]
fn sushi_bar_do_it_for_you_holds_loom() {
    common::explore(&fix_do_it_for_you(), &common::loom()).assert_holds();
}

#[test]
fn sushi_bar_do_it_for_you_holds_shuttle() {
    common::explore(&fix_do_it_for_you(), &common::shuttle()).assert_holds();
}

#[test]
fn sushi_bar_pass_the_baton_holds_loom() {
    common::explore(&fix_pass_the_baton(), &common::loom()).assert_holds();
}

#[test]
fn sushi_bar_pass_the_baton_holds_shuttle() {
    common::explore(&fix_pass_the_baton(), &common::shuttle()).assert_holds();
}
