//! a05: the lock-free (Michael-Scott) queue with recycled nodes: ABA.
//!
//! **Source.** Herlihy & Shavit, *The Art of Multiprocessor Programming*
//! (1st ed.), §10.5 "An Unbounded Lock-Free Queue" (`LockFreeQueue`,
//! Figs. 10.9-10.11) and §10.6 "Memory Reclamation and the ABA Problem",
//! Fig. 10.14 ("An ABA scenario"): each thread recycles dequeued nodes
//! through a pool of its own; "the dequeuer thread A observes that the
//! sentinel node is a, and next node is b. It then prepares to update head
//! by applying a compareAndSet() with old value a and new value b. Suppose
//! however, that before it takes another step, other threads dequeue b,
//! then its successor, placing both a and b in the free pool. Node a is
//! reused, and eventually reappears as the sentinel node in the queue.
//! Thread A now wakes up, calls compareAndSet(), and succeeds in setting
//! head to b, since the old value of head is indeed a." The fix the book
//! gives is `AtomicStampedReference` (§10.6.1).
//!
//! **Program.** Queue `a(sentinel) -> b(1) -> c(2)`. alice dequeues once.
//! bob dequeues, dequeues, enqueues 3 (reusing the oldest node of his pool:
//! `a`), dequeues. Nodes are indices into arrays of `next` and `value`
//! atomics; `head`/`tail` hold `stamp << 32 | index` (stamp always 0 in the
//! broken variant). The outcome lists every value dequeued, sorted.
//!
//! **Bug.** alice reads `head -> a`, `a.next -> b`, `b.value -> 1`; bob
//! then dequeues 1 and 2 (freeing a and b), enqueues 3 into the recycled
//! a, and dequeues it, so a is the sentinel again. alice's
//! `compare_exchange head a -> b` succeeds: she returns 1 a second time and
//! points `head` at b, a freed node (`[1, 1, 2, 3]`).
//!
//! **Teacher marks** (expected execution, 1 preemption):
//! 1. alice's successful `compare_exchange head 1 -> 2`: **aba**. "succeeds
//!    although head went a -> b -> c -> a in between (bob's steps N..M): a
//!    was recycled, b is already dequeued and freed; alice returns 1 again."
//!
//! No mark belongs on alice's reads before the CAS (each was current when
//! made), nor on bob's operations, each of which is correct alone (his
//! `a.value <- 3` and `a.next <- 0` are the recycling, not a race). A mark
//! on bob's `compare_exchange head` steps naming the change and change back
//! is true and relevant.
//!
//! **Controls.** (1) H&S §10.6.1: stamped `head`/`tail` (the stamp in the
//! high 32 bits goes up on every successful CAS). (2) No recycling (what a
//! garbage collector gives Java): bob's enqueue takes a fresh node.

use std::collections::VecDeque;

use crate::common;
use racelab::explore::{FailureKind, Grade, Scenario};
use racelab::sync::atomic::{AtomicU64, AtomicUsize, Ordering::SeqCst};
use racelab::sync::{thread, Arc};

const NIL: usize = 0;
const A: usize = 1;
const B: usize = 2;
const C: usize = 3;
const FRESH: usize = 4;

fn pack(index: usize, stamp: u64) -> u64 {
    (stamp << 32) | index as u64
}

fn index(r: u64) -> usize {
    (r & 0xffff_ffff) as usize
}

#[derive(Clone, Copy, PartialEq)]
enum Variant {
    /// Plain references, recycled nodes: the bug.
    Recycled,
    /// `AtomicStampedReference` for head and tail.
    Stamped,
    /// Never reuse a node.
    NoRecycling,
}

struct LockFreeQueue {
    head: AtomicU64,
    tail: AtomicU64,
    next: [AtomicUsize; 5],
    value: [AtomicU64; 5],
    variant: Variant,
}

impl LockFreeQueue {
    fn new(variant: Variant) -> Self {
        LockFreeQueue {
            head: AtomicU64::new(pack(A, 0)).named("head"),
            tail: AtomicU64::new(pack(C, 0)).named("tail"),
            next: [
                AtomicUsize::new(NIL).named("nil.next"),
                AtomicUsize::new(B).named("a.next"),
                AtomicUsize::new(C).named("b.next"),
                AtomicUsize::new(NIL).named("c.next"),
                AtomicUsize::new(NIL).named("d.next"),
            ],
            value: [
                AtomicU64::new(0).named("nil.value"),
                AtomicU64::new(0).named("a.value"),
                AtomicU64::new(1).named("b.value"),
                AtomicU64::new(2).named("c.value"),
                AtomicU64::new(0).named("d.value"),
            ],
            variant,
        }
    }

    /// The reference after a successful CAS from `old` to node `to`.
    fn moved(&self, old: u64, to: usize) -> u64 {
        let stamp = if self.variant == Variant::Stamped {
            (old >> 32) + 1
        } else {
            0
        };
        pack(to, stamp)
    }

    /// H&S Fig. 10.11; the old sentinel goes to this thread's pool.
    fn deq(&self, pool: &mut VecDeque<usize>) -> Option<u64> {
        loop {
            let first = self.head.load(SeqCst);
            let last = self.tail.load(SeqCst);
            let next = self.next[index(first)].load(SeqCst);
            if first == self.head.load(SeqCst) {
                if index(first) == index(last) {
                    if next == NIL {
                        return None;
                    }
                    let _ = self.tail.compare_exchange(last, self.moved(last, next), SeqCst, SeqCst);
                } else {
                    let value = self.value[next].load(SeqCst);
                    if self
                        .head
                        .compare_exchange(first, self.moved(first, next), SeqCst, SeqCst)
                        .is_ok()
                    {
                        pool.push_back(index(first));
                        return Some(value);
                    }
                }
            }
        }
    }

    /// H&S Fig. 10.10, the node taken from this thread's pool.
    fn enq(&self, x: u64, pool: &mut VecDeque<usize>) {
        let node = match self.variant {
            Variant::NoRecycling => FRESH,
            _ => pool.pop_front().unwrap_or(FRESH),
        };
        self.value[node].store(x, SeqCst);
        self.next[node].store(NIL, SeqCst);
        loop {
            let last = self.tail.load(SeqCst);
            let next = self.next[index(last)].load(SeqCst);
            if last == self.tail.load(SeqCst) {
                if next == NIL {
                    if self.next[index(last)]
                        .compare_exchange(NIL, node, SeqCst, SeqCst)
                        .is_ok()
                    {
                        let _ = self.tail.compare_exchange(last, self.moved(last, node), SeqCst, SeqCst);
                        return;
                    }
                } else {
                    let _ = self.tail.compare_exchange(last, self.moved(last, next), SeqCst, SeqCst);
                }
            }
        }
    }
}

fn queue(variant: Variant) -> Scenario<String> {
    let name = match variant {
        Variant::Recycled => "a05::ms_queue_recycled_nodes",
        Variant::Stamped => "a05::ms_queue_stamped",
        Variant::NoRecycling => "a05::ms_queue_no_recycling",
    };
    Scenario::new(name, move || {
        let q = Arc::new(LockFreeQueue::new(variant));
        let qa = Arc::clone(&q);
        let alice = thread::Builder::new()
            .name("alice")
            .spawn(move || qa.deq(&mut VecDeque::new()))
            .unwrap();
        let qb = Arc::clone(&q);
        let bob = thread::Builder::new()
            .name("bob")
            .spawn(move || {
                let mut pool = VecDeque::new();
                let mut got = vec![qb.deq(&mut pool), qb.deq(&mut pool)];
                qb.enq(3, &mut pool);
                got.push(qb.deq(&mut pool));
                got
            })
            .unwrap();
        let mut values: Vec<u64> = bob.join().unwrap().into_iter().flatten().collect();
        values.extend(alice.join().unwrap());
        values.sort_unstable();
        format!("{values:?}")
    })
    .expect("[1, 2, 3] (each value dequeued once)", |o: &String| {
        if o == "[1, 2, 3]" {
            Grade::Acceptable
        } else {
            Grade::Forbidden
        }
    })
}

#[test]
fn loom_recycled_nodes_aba() {
    let report = common::explore(&queue(Variant::Recycled), &common::loom());
    report.assert_racy(Some(FailureKind::ForbiddenOutcome));
}

#[test]
fn shuttle_recycled_nodes_aba() {
    let report = common::explore(&queue(Variant::Recycled), &common::shuttle());
    report.assert_racy(Some(FailureKind::ForbiddenOutcome));
}

#[test]
fn loom_stamped_holds() {
    common::explore(&queue(Variant::Stamped), &common::loom()).assert_holds();
}

#[test]
fn shuttle_stamped_holds() {
    common::explore(&queue(Variant::Stamped), &common::shuttle()).assert_holds();
}

#[test]
fn loom_no_recycling_holds() {
    common::explore(&queue(Variant::NoRecycling), &common::loom()).assert_holds();
}

#[test]
fn shuttle_no_recycling_holds() {
    common::explore(&queue(Variant::NoRecycling), &common::shuttle()).assert_holds();
}
