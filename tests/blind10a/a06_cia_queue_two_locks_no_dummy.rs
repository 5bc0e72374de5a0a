//! # A queue with a head lock and a tail lock, and no dummy node (Williams §6.2.3)
//!
//! **Source.** Anthony Williams, *C++ Concurrency in Action*, 2nd ed.,
//! §6.2.3 "A thread-safe queue using fine-grained locks and condition
//! variables", listing 6.4 (a single-threaded queue: `try_pop` moves `head`
//! to `head->next` and, if that is null, sets `tail=nullptr`; `push` sets
//! `tail->next`, or `head` when `tail` is null, then `tail`), and the text
//! on putting one mutex on `head` and one on `tail`: "push() can modify both
//! head and tail ... Although that's unfortunate, it's not too much of a
//! problem ... The critical problem is that both push() and try_pop()
//! access the next pointer of a node: push() updates tail->next, and
//! try_pop() reads head->next. If there's a single item in the queue, then
//! head==tail, so both head->next and tail->next are the same object, which
//! therefore requires protection." The fix is listing 6.5/6.6's dummy node
//! (<https://github.com/anthonywilliams/ccia_code_samples/blob/master/listings/listing_6.4.cpp>).
//!
//! **Program.** Listing 6.4 with `try_pop` under `head_mutex` only and
//! `push` under `tail_mutex` only; nodes in an arena, the pointers `head`,
//! `tail` and each node's `next` plain cells (`UnsafeCell`), as in C++. The
//! queue holds one item (A = 1; `head == tail == A`); the popper pops once
//! while the pusher pushes B = 2; then main drains the queue.
//!
//! **Bug.** A race on shared data: the popper reads `A.next` (and writes
//! `tail`) under `head_mutex`, the pusher writes `A.next` (and reads and
//! writes `tail`) under `tail_mutex`: no lock orders them. Under loom: a
//! data race. Under shuttle: the popper reads `A.next = None`, decides the
//! queue is now empty and clears `tail` after the pusher linked B behind A
//! (or the pusher links B behind A, which the popper already took): B is
//! lost (drained `[]`).
//!
//! **Teacher marks** (written before the first run). One per backend:
//! - loom (data race): on the later access of the racing pair shown (e.g.
//!   pusher's `write A.next` vs popper's `read A.next`, or the two threads'
//!   accesses to `tail`), kind `data_race`, "races with step N: head_mutex
//!   and tail_mutex do not order them".
//! - shuttle (B lost): the act whose check the other thread invalidated:
//!   either the popper's `write tail` (clearing it) acting on its `read
//!   A.next` (None), which the pusher's `write A.next` changed since; or the
//!   pusher's `write A.next` acting on its `read tail` (A), after the
//!   popper took A and cleared `tail`. Kind `stale_check` (or
//!   `atomicity_violation`/`lost_update` on the same step naming the pair:
//!   the popper's `write tail` blindly overwriting the pusher's `write tail
//!   <- B` is the lost write).
//!
//! No mark on the lock/unlock steps, the setup, main's drain after the joins.
//!
//! **Control.** Listing 6.6: a dummy node, so `push` writes only the dummy
//! (the old tail) and `try_pop` only ever reads a node that is not the tail,
//! checking for empty by reading `tail` under `tail_mutex` (`get_tail()`).

use racelab::explore::{FailureKind, Scenario};
use racelab::sync::cell::UnsafeCell;
use racelab::sync::{thread, Arc, Mutex};

use crate::common;

struct Node {
    data: u32,
    next: UnsafeCell<Option<usize>>,
}

/// listing 6.4 with a mutex on each end.
struct Queue {
    head_mutex: Mutex<()>,
    tail_mutex: Mutex<()>,
    head: UnsafeCell<Option<usize>>,
    tail: UnsafeCell<Option<usize>>,
    nodes: Vec<Node>,
}

// SAFETY: shared as the C++ original shares its plain pointers; loom checks
// every access.
unsafe impl Sync for Queue {}

impl Queue {
    /// One item, A = 1 (node 0); node 1 (B = 2) is ready to be pushed.
    fn with_one_item() -> Self {
        Queue {
            head_mutex: Mutex::new(()).named("head_mutex"),
            tail_mutex: Mutex::new(()).named("tail_mutex"),
            head: UnsafeCell::new(Some(0)).named("head"),
            tail: UnsafeCell::new(Some(0)).named("tail"),
            nodes: vec![
                Node {
                    data: 1,
                    next: UnsafeCell::new(None).named("A.next"),
                },
                Node {
                    data: 2,
                    next: UnsafeCell::new(None).named("B.next"),
                },
            ],
        }
    }

    fn try_pop(&self) -> Option<u32> {
        let _g = self.head_mutex.lock().unwrap();
        // SAFETY (all four): see `unsafe impl Sync`.
        let h = self.head.with(|p| unsafe { *p })?;
        let data = self.nodes[h].data;
        let next = self.nodes[h].next.with(|p| unsafe { *p });
        self.head.with_mut(|p| unsafe { *p = next });
        if next.is_none() {
            self.tail.with_mut(|p| unsafe { *p = None });
        }
        Some(data)
    }

    fn push(&self, new: usize) {
        let _g = self.tail_mutex.lock().unwrap();
        // SAFETY (all three): see `unsafe impl Sync`.
        match self.tail.with(|p| unsafe { *p }) {
            Some(t) => self.nodes[t].next.with_mut(|p| unsafe { *p = Some(new) }),
            None => self.head.with_mut(|p| unsafe { *p = Some(new) }),
        }
        self.tail.with_mut(|p| unsafe { *p = Some(new) });
    }
}

/// listing 6.6: a dummy node at the tail.
struct DummyQueue {
    head_mutex: Mutex<()>,
    tail_mutex: Mutex<()>,
    head: UnsafeCell<usize>,
    tail: UnsafeCell<usize>,
    data: Vec<UnsafeCell<Option<u32>>>,
    next: Vec<UnsafeCell<Option<usize>>>,
}

// SAFETY: as for `Queue`.
unsafe impl Sync for DummyQueue {}

impl DummyQueue {
    /// One item, A = 1 (node 0), then the dummy (node 1); node 2 is the
    /// next dummy, for the push.
    fn with_one_item() -> Self {
        DummyQueue {
            head_mutex: Mutex::new(()).named("head_mutex"),
            tail_mutex: Mutex::new(()).named("tail_mutex"),
            head: UnsafeCell::new(0).named("head"),
            tail: UnsafeCell::new(1).named("tail"),
            data: vec![
                UnsafeCell::new(Some(1)).named("A.data"),
                UnsafeCell::new(None).named("dummy1.data"),
                UnsafeCell::new(None).named("dummy2.data"),
            ],
            next: vec![
                UnsafeCell::new(Some(1)).named("A.next"),
                UnsafeCell::new(None).named("dummy1.next"),
                UnsafeCell::new(None).named("dummy2.next"),
            ],
        }
    }

    fn get_tail(&self) -> usize {
        let _g = self.tail_mutex.lock().unwrap();
        // SAFETY: under tail_mutex.
        self.tail.with(|p| unsafe { *p })
    }

    fn try_pop(&self) -> Option<u32> {
        let _g = self.head_mutex.lock().unwrap();
        // SAFETY (all): `head` and the nodes before the tail are the popper's.
        let h = self.head.with(|p| unsafe { *p });
        if h == self.get_tail() {
            return None;
        }
        let data = self.data[h].with(|p| unsafe { *p });
        let next = self.next[h]
            .with(|p| unsafe { *p })
            .expect("a node before the tail has a next");
        self.head.with_mut(|p| unsafe { *p = next });
        data
    }

    fn push(&self, value: u32, new_dummy: usize) {
        let _g = self.tail_mutex.lock().unwrap();
        // SAFETY (all): the tail node and `tail` are the pusher's, under tail_mutex.
        let t = self.tail.with(|p| unsafe { *p });
        self.data[t].with_mut(|p| unsafe { *p = Some(value) });
        self.next[t].with_mut(|p| unsafe { *p = Some(new_dummy) });
        self.tail.with_mut(|p| unsafe { *p = new_dummy });
    }
}

fn racy() -> Scenario<String> {
    Scenario::new("cia::queue_two_locks_no_dummy", || {
        let q = Arc::new(Queue::with_one_item());
        let qp = Arc::clone(&q);
        let popper = thread::Builder::new()
            .name("popper")
            .spawn(move || qp.try_pop())
            .unwrap();
        let qs = Arc::clone(&q);
        let pusher = thread::Builder::new().name("pusher").spawn(move || qs.push(1)).unwrap();
        let got = popper.join().unwrap();
        pusher.join().unwrap();
        let mut drained = Vec::new();
        while let Some(v) = q.try_pop() {
            drained.push(v);
        }
        format!("popper got {got:?}, then drained {drained:?}")
    })
    .expect_only("popper got Some(1), then drained [2]".to_string())
}

fn dummy_node() -> Scenario<String> {
    Scenario::new("cia::queue_dummy_node", || {
        let q = Arc::new(DummyQueue::with_one_item());
        let qp = Arc::clone(&q);
        let popper = thread::Builder::new()
            .name("popper")
            .spawn(move || qp.try_pop())
            .unwrap();
        let qs = Arc::clone(&q);
        let pusher = thread::Builder::new()
            .name("pusher")
            .spawn(move || qs.push(2, 2))
            .unwrap();
        let got = popper.join().unwrap();
        pusher.join().unwrap();
        let mut drained = Vec::new();
        while let Some(v) = q.try_pop() {
            drained.push(v);
        }
        format!("popper got {got:?}, then drained {drained:?}")
    })
    .expect_only("popper got Some(1), then drained [2]".to_string())
}

#[test]
fn racy_under_loom() {
    let report = common::explore(&racy(), &common::loom());
    report.assert_racy(Some(FailureKind::DataRace));
}

#[test]
fn racy_under_shuttle() {
    let report = common::explore(&racy(), &common::shuttle());
    report.assert_racy(Some(FailureKind::ForbiddenOutcome));
    let outcome = report.failure.as_ref().and_then(|f| f.outcome.clone()).unwrap();
    assert_eq!(outcome, "popper got Some(1), then drained []");
}

#[test]
fn dummy_node_holds() {
    for explorer in [common::loom(), common::shuttle()] {
        common::explore(&dummy_node(), &explorer).assert_holds();
    }
}
