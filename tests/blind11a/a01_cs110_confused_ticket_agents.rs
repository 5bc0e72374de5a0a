//! Stanford CS110 (Principles of Computer Systems), lecture "Threads and
//! race conditions", the program `confused-ticket-agents.cc`
//! (slides: <https://slides.com/jerrycainjr/10-spring21/fullscreen>, Spring
//! 2021, Cain & Cyrus; code as distributed with the course:
//! `lecture-examples/threads-cpp/confused-ticket-agents.cc` in the public
//! mirror github.com/ilemhadri/cs110):
//!
//! ```c++
//! static void ticketAgent(size_t id, size_t& remainingTickets) {
//!   while (remainingTickets > 0) {
//!     handleCall();          // sleep for a small amount of time
//!     remainingTickets--;
//!     ...
//! ```
//!
//! Ten agents share one `size_t remainingTickets = 250` by reference. The
//! slide's run ends with "Agent #108 sold a ticket! (4294967295 more to be
//! sold)" and "carries on for a very, very, very long time": two agents both
//! see one ticket left, both sell it, and the unsigned count wraps around.
//!
//! Transcription: two agents, one ticket left. `remainingTickets` is a plain
//! shared integer (an `UnsafeCell<u32>`, as `size_t&` is), `handleCall()`
//! is `thread::sleep` (a yield under the models), and `remainingTickets--`
//! is a read then a write (the slide shows its three instructions). The
//! endless selling after the wrap is cut off after two sales per agent.
//! Outcome: tickets sold and tickets left; only "sold 1, 0 left" is right.
//!
//! # Teacher marks (written before the first run)
//! - shuttle (which does not check cells, so the outcome is the failure):
//!   the expected timeline has both agents read `remaining -> 1` in their
//!   `while` check, then each decrement. The mark goes on the second agent's
//!   decrement write (`write remaining <- 4294967295`), kind `stale_check`:
//!   "acts on the check at step N (1 ticket left), which the other agent
//!   changed (sold it) at step M before this sale". If the timeline instead
//!   shows both decrements reading 1 and both writing 0 (two sales, 0
//!   left), the mark is `lost_update` on the second `write remaining <- 0`.
//! - loom (which checks cells): the first two unordered accesses to
//!   `remaining`, one a write, kind `data_race`: "races with step N:
//!   nothing orders one agent's decrement with the other agent's check".
//!   A mark on either end of the pair is strict.
//!
//! No mark on the sleeps (`handleCall`), spawns, joins, main's final read,
//! nor on the first agent's own check and decrement when they are the ones
//! that sold the last real ticket.
//!
//! Expected verdict: loom `data race`; shuttle `forbidden outcome`.

use std::time::Duration;

use racelab::explore::{FailureKind, Scenario};
use racelab::sync::atomic::{AtomicU32, Ordering};
use racelab::sync::cell::UnsafeCell;
use racelab::sync::{thread, Arc, Mutex};

use super::common;

/// Sales after which an agent stops: the stand-in for "carries on for a
/// very, very, very long time" once the count has wrapped.
const CAP: u32 = 2;

/// What the agents share: `size_t remainingTickets`, by reference.
struct Office {
    remaining: UnsafeCell<u32>,
}

// SAFETY: the puzzle is that the agents share this integer with no
// synchronisation at all (as the C++ program does); loom checks every access.
unsafe impl Sync for Office {}

fn handle_call() {
    thread::sleep(Duration::from_millis(1));
}

/// `ticketAgent` as the lecture wrote it; returns the tickets it sold.
fn ticket_agent(office: &Office) -> u32 {
    let mut sold = 0;
    while office.remaining.with(|p| unsafe { *p }) > 0 {
        handle_call();
        // remainingTickets--;  (load, subtract, store)
        let r = office.remaining.with(|p| unsafe { *p });
        office.remaining.with_mut(|p| unsafe { *p = r.wrapping_sub(1) });
        sold += 1;
        if sold == CAP {
            break;
        }
    }
    sold
}

fn report(sold: u32, left: u32) -> String {
    format!("sold {sold}, {left} left")
}

fn racy() -> Scenario<String> {
    Scenario::new("blind11a::cs110_confused_ticket_agents", || {
        let office = Arc::new(Office {
            remaining: UnsafeCell::new(1).named("remaining"),
        });
        let agents: Vec<_> = ["agent101", "agent102"]
            .into_iter()
            .map(|name| {
                let o = Arc::clone(&office);
                thread::Builder::new()
                    .name(name)
                    .spawn(move || ticket_agent(&o))
                    .unwrap()
            })
            .collect();
        let sold: u32 = agents.into_iter().map(|a| a.join().unwrap()).sum();
        let left = office.remaining.with(|p| unsafe { *p });
        report(sold, left)
    })
    .expect_only(report(1, 0))
}

/// Control 1: the lecture's own fix (`ticket-agents.cc`): one mutex held
/// from the check through the decrement.
fn fixed_mutex() -> Scenario<String> {
    Scenario::new("blind11a::cs110_ticket_agents_mutex", || {
        let remaining = Arc::new(Mutex::new(1u32).named("remaining"));
        let agents: Vec<_> = ["agent101", "agent102"]
            .into_iter()
            .map(|name| {
                let r = Arc::clone(&remaining);
                thread::Builder::new()
                    .name(name)
                    .spawn(move || {
                        let mut sold = 0;
                        loop {
                            let mut left = r.lock().unwrap();
                            if *left == 0 {
                                break;
                            }
                            handle_call();
                            *left -= 1;
                            sold += 1;
                        }
                        sold
                    })
                    .unwrap()
            })
            .collect();
        let sold: u32 = agents.into_iter().map(|a| a.join().unwrap()).sum();
        let left = *remaining.lock().unwrap();
        report(sold, left)
    })
    .expect_only(report(1, 0))
}

/// Control 2: no lock at all: the check and the decrement become one
/// compare-exchange (`fetch_update` refuses to go below zero).
fn fixed_cas() -> Scenario<String> {
    Scenario::new("blind11a::cs110_ticket_agents_cas", || {
        let remaining = Arc::new(AtomicU32::new(1).named("remaining"));
        let agents: Vec<_> = ["agent101", "agent102"]
            .into_iter()
            .map(|name| {
                let r = Arc::clone(&remaining);
                thread::Builder::new()
                    .name(name)
                    .spawn(move || {
                        let mut sold = 0;
                        while r
                            .fetch_update(Ordering::AcqRel, Ordering::Acquire, |n| n.checked_sub(1))
                            .is_ok()
                        {
                            handle_call();
                            sold += 1;
                        }
                        sold
                    })
                    .unwrap()
            })
            .collect();
        let sold: u32 = agents.into_iter().map(|a| a.join().unwrap()).sum();
        let left = remaining.load(Ordering::Acquire);
        report(sold, left)
    })
    .expect_only(report(1, 0))
}

#[test]
fn racy_loom() {
    let r = common::explore(&racy(), &common::loom());
    r.assert_racy(Some(FailureKind::DataRace));
}

#[test]
fn racy_shuttle() {
    let r = common::explore(&racy(), &common::shuttle());
    r.assert_racy(Some(FailureKind::ForbiddenOutcome));
}

#[test]
fn fixes_hold() {
    for s in [fixed_mutex(), fixed_cas()] {
        common::explore(&s, &common::loom()).assert_holds();
        common::explore(&s, &common::shuttle()).assert_holds();
    }
}
