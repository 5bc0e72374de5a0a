//! a04: H&S's two-lock bounded queue, the dequeuers woken without `deqLock`.
//!
//! **Source.** Herlihy & Shavit, *The Art of Multiprocessor Programming*
//! (1st ed.), §10.3 "A Bounded Partial Queue", Figs. 10.2-10.4
//! (`BoundedQueue`): `enq()` works under `enqLock`, and if
//! `size.getAndIncrement() == 0` it sets `mustWakeDequeuers`; after
//! unlocking `enqLock` it **acquires `deqLock`** and calls
//! `notEmptyCondition.signalAll()`. `deq()` waits under `deqLock` with
//! `while (size.get() == 0) notEmptyCondition.await();`. The lost-wakeup
//! pitfall this guards against is H&S §8.2.2 ("Lost Wakeups"). The broken
//! variant signals without taking `deqLock` (legal with Rust's `Condvar`,
//! where Java would throw): a transcription slip a reader easily makes.
//!
//! **Program.** Capacity 2, one enqueuer (alice, `enq(7)`) and one dequeuer
//! (bob, `deq()`); `main` joins both.
//!
//! **Bug.** bob, holding `deqLock`, reads `size == 0` and is about to wait.
//! alice enqueues, `fetch_add size` (0 -> 1), and `notify_all notEmpty`
//! without `deqLock`: bob is not waiting yet, so nobody is woken. bob then
//! waits for a signal that already came: he sleeps forever, `main` waits
//! for him (a deadlock).
//!
//! **Teacher marks** (expected execution, 1 preemption: bob checks, alice
//! runs to the end, bob waits):
//! 1. alice's `notify_all notEmpty`: **lost_wakeup**. "alice signals after
//!    bob checked `size` (step N: `load size -> 0`) but before he waits
//!    (step M): no one is waiting, the wake-up is lost. Under `deqLock`
//!    the signal could not have fallen between bob's check and his wait."
//!
//! A mark on bob's `wait notEmpty` (waiting forever: deadlock) or `main`'s
//! `join bob` naming the wait-for chain is true and relevant, not spurious,
//! but a teacher points at the notify. No mark belongs on alice's slot
//! store or her `fetch_add size` (the update is right; the signal is
//! misplaced), nor on lock/unlock steps.
//!
//! **Controls.** (1) H&S as written: the signal under `deqLock`. (2) A
//! different primitive: a bounded channel (`sync_channel(2)`) as the queue.

use crate::common;
use racelab::explore::{FailureKind, Grade, Scenario};
use racelab::sync::atomic::{AtomicU64, AtomicUsize, Ordering::SeqCst};
use racelab::sync::{mpsc, thread, Arc, Condvar, Mutex};

const CAPACITY: usize = 2;

struct BoundedQueue {
    /// `enqLock`, guarding the tail index.
    enq_lock: Mutex<usize>,
    /// `deqLock`, guarding the head index.
    deq_lock: Mutex<usize>,
    not_empty: Condvar,
    not_full: Condvar,
    size: AtomicUsize,
    slots: [AtomicU64; CAPACITY],
    /// Whether signals take the other side's lock (H&S) or not (the bug).
    signal_under_lock: bool,
}

impl BoundedQueue {
    fn new(signal_under_lock: bool) -> Self {
        BoundedQueue {
            enq_lock: Mutex::new(0).named("enqLock"),
            deq_lock: Mutex::new(0).named("deqLock"),
            not_empty: Condvar::new().named("notEmpty"),
            not_full: Condvar::new().named("notFull"),
            size: AtomicUsize::new(0).named("size"),
            slots: [AtomicU64::new(0).named("slot0"), AtomicU64::new(0).named("slot1")],
            signal_under_lock,
        }
    }

    fn enq(&self, x: u64) {
        let mut must_wake_dequeuers = false;
        {
            let mut tail = self.enq_lock.lock().unwrap();
            while self.size.load(SeqCst) == CAPACITY {
                tail = self.not_full.wait(tail).unwrap();
            }
            self.slots[*tail % CAPACITY].store(x, SeqCst);
            *tail += 1;
            if self.size.fetch_add(1, SeqCst) == 0 {
                must_wake_dequeuers = true;
            }
        }
        if must_wake_dequeuers {
            if self.signal_under_lock {
                let _deq = self.deq_lock.lock().unwrap();
                self.not_empty.notify_all();
            } else {
                self.not_empty.notify_all();
            }
        }
    }

    fn deq(&self) -> u64 {
        let mut must_wake_enqueuers = false;
        let result;
        {
            let mut head = self.deq_lock.lock().unwrap();
            while self.size.load(SeqCst) == 0 {
                head = self.not_empty.wait(head).unwrap();
            }
            result = self.slots[*head % CAPACITY].load(SeqCst);
            *head += 1;
            if self.size.fetch_sub(1, SeqCst) == CAPACITY {
                must_wake_enqueuers = true;
            }
        }
        if must_wake_enqueuers {
            if self.signal_under_lock {
                let _enq = self.enq_lock.lock().unwrap();
                self.not_full.notify_all();
            } else {
                self.not_full.notify_all();
            }
        }
        result
    }
}

fn graded(name: &str, body: impl Fn() -> u64 + Send + Sync + 'static) -> Scenario<u64> {
    Scenario::new(name, body).expect("bob dequeues 7", |o: &u64| {
        if *o == 7 {
            Grade::Acceptable
        } else {
            Grade::Forbidden
        }
    })
}

fn bounded_queue(signal_under_lock: bool) -> Scenario<u64> {
    let name = if signal_under_lock {
        "a04::bounded_queue_hs"
    } else {
        "a04::bounded_queue_signal_unlocked"
    };
    graded(name, move || {
        let queue = Arc::new(BoundedQueue::new(signal_under_lock));
        let q = Arc::clone(&queue);
        let alice = thread::Builder::new().name("alice").spawn(move || q.enq(7)).unwrap();
        let q = Arc::clone(&queue);
        let bob = thread::Builder::new().name("bob").spawn(move || q.deq()).unwrap();
        alice.join().unwrap();
        bob.join().unwrap()
    })
}

fn channel_queue() -> Scenario<u64> {
    graded("a04::bounded_channel", || {
        let (tx, rx) = mpsc::sync_channel_named::<u64>("queue", CAPACITY);
        let alice = thread::Builder::new()
            .name("alice")
            .spawn(move || tx.send(7).unwrap())
            .unwrap();
        let bob = thread::Builder::new()
            .name("bob")
            .spawn(move || rx.recv().unwrap())
            .unwrap();
        alice.join().unwrap();
        bob.join().unwrap()
    })
}

#[test]
fn loom_signal_unlocked_loses_the_wakeup() {
    let report = common::explore(&bounded_queue(false), &common::loom());
    report.assert_racy(Some(FailureKind::Deadlock));
}

#[test]
fn shuttle_signal_unlocked_loses_the_wakeup() {
    let report = common::explore(&bounded_queue(false), &common::shuttle());
    report.assert_racy(Some(FailureKind::Deadlock));
}

#[test]
fn loom_hs_signal_under_deq_lock_holds() {
    common::explore(&bounded_queue(true), &common::loom()).assert_holds();
}

#[test]
fn shuttle_hs_signal_under_deq_lock_holds() {
    common::explore(&bounded_queue(true), &common::shuttle()).assert_holds();
}

#[test]
fn loom_bounded_channel_holds() {
    common::explore(&channel_queue(), &common::loom()).assert_holds();
}

#[test]
fn shuttle_bounded_channel_holds() {
    common::explore(&channel_queue(), &common::shuttle()).assert_holds();
}
