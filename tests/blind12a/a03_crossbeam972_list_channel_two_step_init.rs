//! # crossbeam-channel #972: a receiver drop follows a null `head.block`
//!
//! **Source.** crossbeam-rs/crossbeam PR #972, "channel: unbounded:
//! synchronize receiver disconnect with initialization"
//! (<https://github.com/crossbeam-rs/crossbeam/pull/972>), fixing issue #971
//! ("Segfault in `crossbeam_channel::flavors::list`"), also ported to std's
//! mpsc (rust-lang/rust PR #110089). The PR's own scenario: "1. Thread A
//! starts to send the first value of the channel, observes that `tail.block`
//! is null and begins initialization. It sets `tail.block` to point to a newly
//! allocated block and then gets preempted. `head.block` is still null at this
//! point. 2. Thread B starts to send the second value of the channel, observes
//! that `tail.block` *is not* null and proceeds with writing its value in the
//! allocated tail block and sets `tail.index` to 1. 3. Thread B drops the
//! receiver of the channel which observes that `head.index != tail.index` (0
//! and 1 respectively), therefore there must be messages to drop. It starts
//! traversing the linked list from `head.block` which is still a null
//! pointer".
//!
//! **Program.** Block pointers are numbers (0 is null, 1 the first block).
//! `send`: if `tail_block` is null, install block 1 with a compare-exchange
//! on `tail_block`, then store it into `head_block` (two steps); then reserve
//! a slot with `fetch_add` on `tail_index`. Main (thread B) sends, then drops
//! the receiver (`discard_all_messages`): if `head_index != tail_index`, it
//! follows `head_block`, and a null block is the segfault (a panic here).
//! Thread A is `sender_a`.
//!
//! **Bug.** An atomicity violation in the initialisation: `sender_a`'s two
//! steps (`cas tail_block 0 -> 1`, then `store head_block <- 1`) are split by
//! main's whole send and receiver drop. Main concludes from `tail_block` and
//! the indices that the channel is initialised, and reads `head_block`
//! before `sender_a` wrote it.
//!
//! **Teacher marks** (on both backends; every atomic is `SeqCst`, so the bug
//! is in the interleaving, not the memory model):
//! 1. main's `load head_block -> 0`, kind `order_violation` (or
//!    `atomicity_violation`): "reads `head_block` before `sender_a` writes it
//!    (step N): `sender_a`'s initialisation (`cas tail_block` at step M, then
//!    `store head_block`) was split by main's send and drop".
//! 2. `sender_a`'s `store head_block <- 1`, the other end, kind
//!    `order_violation` / `atomicity_violation`: "the second half of the
//!    initialisation, too late for main's read at step K".
//!
//! No mark belongs on main's `load tail_block -> 1` (a correct read), on the
//! `fetch_add tail_index` steps, nor on the spawn.

use crate::common;
use racelab::explore::{FailureKind, Scenario};
use racelab::sync::atomic::{AtomicUsize, Ordering::SeqCst};
use racelab::sync::{thread, Arc, Mutex};

struct Channel {
    tail_block: AtomicUsize,
    head_block: AtomicUsize,
    tail_index: AtomicUsize,
    head_index: AtomicUsize,
}

impl Channel {
    fn new() -> Self {
        Channel {
            tail_block: AtomicUsize::new(0).named("tail_block"),
            head_block: AtomicUsize::new(0).named("head_block"),
            tail_index: AtomicUsize::new(0).named("tail_index"),
            head_index: AtomicUsize::new(0).named("head_index"),
        }
    }

    fn send(&self) {
        if self.tail_block.load(SeqCst) == 0 {
            // First message: install the first block, in two steps.
            if self.tail_block.compare_exchange(0, 1, SeqCst, SeqCst).is_ok() {
                self.head_block.store(1, SeqCst);
            }
        }
        self.tail_index.fetch_add(1, SeqCst); // the slot this message takes
    }

    /// `discard_all_messages` on receiver drop; `wait_for_init` is PR #972's
    /// fix (wait until `head.block` is set when there are messages).
    /// Returns how many messages it dropped.
    fn discard_all_messages(&self, wait_for_init: bool) -> usize {
        let tail = self.tail_index.load(SeqCst);
        let head = self.head_index.load(SeqCst);
        if head == tail {
            return 0;
        }
        let mut block = self.head_block.load(SeqCst);
        if wait_for_init {
            while block == 0 {
                thread::yield_now();
                block = self.head_block.load(SeqCst);
            }
        }
        assert!(
            block != 0,
            "segfault: head.block is null while head.index != tail.index"
        );
        tail - head
    }
}

fn scenario(name: &str, fixed: bool) -> Scenario<usize> {
    Scenario::new(name, move || {
        let ch = Arc::new(Channel::new());
        let c = Arc::clone(&ch);
        let a = thread::Builder::new().name("sender_a").spawn(move || c.send()).unwrap();
        ch.send();
        let dropped = ch.discard_all_messages(fixed);
        a.join().unwrap();
        dropped
    })
    .expect("no null block is followed", |_| racelab::explore::Grade::Acceptable)
}

/// Another primitive: both block pointers are installed under one mutex, so
/// nobody can see one without the other.
fn locked() -> Scenario<usize> {
    Scenario::new("blind12a::crossbeam972_init_under_mutex", || {
        let blocks = Arc::new(Mutex::new((0usize, 0usize)).named("blocks")); // (tail, head)
        let tail_index = Arc::new(AtomicUsize::new(0).named("tail_index"));
        let send = |blocks: &Mutex<(usize, usize)>, tail_index: &AtomicUsize| {
            {
                let mut b = blocks.lock().unwrap();
                if b.0 == 0 {
                    *b = (1, 1);
                }
            }
            tail_index.fetch_add(1, SeqCst);
        };
        let (b, t) = (Arc::clone(&blocks), Arc::clone(&tail_index));
        let a = thread::Builder::new()
            .name("sender_a")
            .spawn(move || send(&b, &t))
            .unwrap();
        send(&blocks, &tail_index);
        let tail = tail_index.load(SeqCst);
        let dropped = if tail != 0 {
            let head_block = blocks.lock().unwrap().1;
            assert!(head_block != 0, "segfault: head.block is null");
            tail
        } else {
            0
        };
        a.join().unwrap();
        dropped
    })
    .expect("no null block is followed", |_| racelab::explore::Grade::Acceptable)
}

#[test]
fn racy_loom() {
    let r = common::explore(
        &scenario("blind12a::crossbeam972_two_step_init", false),
        &common::loom(),
    );
    r.assert_racy(Some(FailureKind::Panic));
}

#[test]
fn racy_shuttle() {
    let r = common::explore(
        &scenario("blind12a::crossbeam972_two_step_init", false),
        &common::shuttle(),
    );
    r.assert_racy(Some(FailureKind::Panic));
}

#[test]
fn controls_hold() {
    for s in [scenario("blind12a::crossbeam972_wait_for_init", true), locked()] {
        common::explore(&s, &common::loom()).assert_holds();
        common::explore(&s, &common::shuttle()).assert_holds();
    }
}
