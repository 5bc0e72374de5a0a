//! # b06: two services that both speak first on rendezvous channels
//!
//! Two services greet each other at start-up: each sends a hello on its
//! outgoing channel and then waits for the other's hello. The channels are
//! `sync_channel(0)` (rendezvous: a `send` returns only when the other side
//! `recv`s). Both services send first, so each `send` waits for a `recv` the
//! other will only reach after its own `send` returns: a deadlock in every
//! schedule (a wait-for cycle through two channels).
//!
//! ## Teacher marks (written before looking at racelab's marks)
//! Schedule: `billing` `send billing->ledger` (blocked), `ledger`
//! `send ledger->billing` (blocked); main `join billing` (blocked).
//! 1. billing's `send billing->ledger`: kind `deadlock`, "waits for ledger to
//!    receive on billing->ledger; ledger waits for billing (a cycle)".
//! 2. ledger's `send ledger->billing`: kind `deadlock`, the other edge of the
//!    same cycle.
//!    (Each is the other's "other end": one of the two, with a text naming
//!    the cycle, is lenient credit for the other.)
//!
//! Not spurious: main's `join billing` marked as waiting for billing (true),
//! as long as it does not claim main is in the cycle. Spurious: any
//! `lost_wakeup`, `order_violation` or data-race mark; a cycle that names
//! main or a lock.
//!
//! Control: the services agree who speaks first (ledger receives, then
//! answers).

use racelab::explore::{FailureKind, Scenario};
use racelab::sync::mpsc::{sync_channel_named, Receiver, SyncSender};
use racelab::sync::thread;

use crate::common;

fn service(
    name: &'static str,
    out: SyncSender<String>,
    inbox: Receiver<String>,
    speak_first: bool,
) -> thread::JoinHandle<String> {
    thread::Builder::new()
        .name(name)
        .spawn(move || {
            let hello = format!("hello from {name}");
            if speak_first {
                out.send(hello).unwrap();
                inbox.recv().unwrap()
            } else {
                let heard = inbox.recv().unwrap();
                out.send(hello).unwrap();
                heard
            }
        })
        .unwrap()
}

fn handshake(fixed: bool) -> Scenario<String> {
    let name = if fixed {
        "b06::handshake_ordered"
    } else {
        "b06::handshake_racy"
    };
    Scenario::new(name, move || {
        let (to_ledger, ledger_inbox) = sync_channel_named("billing->ledger", 0);
        let (to_billing, billing_inbox) = sync_channel_named("ledger->billing", 0);
        let billing = service("billing", to_ledger, billing_inbox, true);
        // BUG (racy): ledger speaks first too.
        let ledger = service("ledger", to_billing, ledger_inbox, !fixed);
        let (b, l) = (billing.join().unwrap(), ledger.join().unwrap());
        format!("billing heard {b:?}, ledger heard {l:?}")
    })
    .expect_only(r#"billing heard "hello from ledger", ledger heard "hello from billing""#.to_owned())
}

#[test]
fn loom_finds_the_deadlock() {
    common::explore(&handshake(false), &common::loom()).assert_racy(Some(FailureKind::Deadlock));
}

#[test]
fn shuttle_finds_the_deadlock() {
    common::explore(&handshake(false), &common::shuttle()).assert_racy(Some(FailureKind::Deadlock));
}

#[test]
fn control_ordered_holds() {
    common::explore(&handshake(true), &common::loom()).assert_holds();
    common::explore(&handshake(true), &common::shuttle()).assert_holds();
}
