//! a07: per-element locking without an existence guarantee (double free).
//!
//! **Source.** Paul E. McKenney, perfbook, §7.4 "Lock-Based Existence
//! Guarantees", Listing "Per-Element Locking Without Existence Guarantees
//! (Buggy!)" (`locking/locking-existence.tex` in
//! <https://github.com/paulmckrcu/perfbook>):
//! ```c
//! p = hashtable[b];
//! if (p == NULL || p->key != key) return 0;
//! spin_lock(&p->lock);
//! hashtable[b] = NULL;
//! spin_unlock(&p->lock);
//! kfree(p);
//! return 1;
//! ```
//! "Thread 0 invokes delete(0), and reaches line acq of the listing,
//! acquiring the lock. Thread 1 concurrently invokes delete(0), reaching
//! line acq, but spins on the lock because Thread 0 holds it. Thread 0
//! executes lines NULL-return1, removing the element from the hashtable,
//! releasing the lock, and then freeing the element. ... Because there is
//! no existence guarantee, the identity of the data element can change
//! while a thread is attempting to acquire that element's lock."
//!
//! **Program.** One bucket holding element p (`hashtable[b]` an atomic
//! pointer, 1 = p, 0 = NULL); `p.lock` a mutex inside p; `kfree(p)`
//! counted by `p.frees`. alice and bob both call `delete(key)`.
//!
//! **Bug.** Both read `hashtable[b] == p` before either removes it. bob
//! locks p, sets the bucket NULL, unlocks and frees p; alice, acting on her
//! earlier read, then locks `p.lock` inside freed memory, sets the bucket
//! NULL again, and frees p a second time (`p freed 2 times`).
//!
//! **Teacher marks** (expected execution, 1 preemption: alice reads the
//! bucket, bob runs his whole delete, alice goes on):
//! 1. alice's steps after her check, at the first of them, `lock p.lock`
//!    (a lock inside freed memory), or at her `fetch_add p.frees` (the
//!    double free): **stale_check**. "alice acts on her check at step N
//!    (`hashtable[b]` held p); bob removed p (step M) and freed it (step
//!    K) before she even took p's lock." Either step, with that text,
//!    counts as strict.
//!
//! No mark belongs on bob's delete (alone it is right), on alice's `store
//! hashtable[b] <- 0` as a lost update (it writes the value already there),
//! or on the unlocks.
//!
//! **Controls.** (1) perfbook's fix, Listing "Per-Element Locking With
//! Lock-Based Existence Guarantees": a per-bucket lock (here a `Mutex`
//! outside the element) taken before reading `hashtable[b]`. (2) A
//! different primitive: claim the element with one `swap(NULL)` of the
//! bucket; only the thread that swapped p out locks and frees it.

use crate::common;
use racelab::explore::{FailureKind, Grade, Scenario};
use racelab::sync::atomic::{AtomicUsize, Ordering::SeqCst};
use racelab::sync::{thread, Arc, Mutex};

const NULL: usize = 0;
const P: usize = 1;

#[derive(Clone, Copy, PartialEq)]
enum Variant {
    /// perfbook's buggy listing.
    PerElementLock,
    /// perfbook's fix: a lock per bucket, outside the element.
    BucketLock,
    /// Claim the element by swapping the bucket to NULL.
    SwapClaim,
}

struct Table {
    /// `hashtable[b]`.
    bucket: AtomicUsize,
    /// `locktable[b]` (perfbook's fix only).
    bucket_lock: Mutex<()>,
    /// `p->lock`, inside the element.
    elem_lock: Mutex<()>,
    /// `kfree(p)` calls.
    frees: AtomicUsize,
}

impl Table {
    fn new() -> Self {
        Table {
            bucket: AtomicUsize::new(P).named("hashtable[b]"),
            bucket_lock: Mutex::new(()).named("locktable[b]"),
            elem_lock: Mutex::new(()).named("p.lock"),
            frees: AtomicUsize::new(0).named("p.frees"),
        }
    }

    fn kfree(&self, p: usize) {
        assert_eq!(p, P);
        self.frees.fetch_add(1, SeqCst);
    }

    fn delete(&self, variant: Variant) -> bool {
        match variant {
            Variant::PerElementLock => {
                let p = self.bucket.load(SeqCst);
                if p == NULL {
                    return false;
                }
                let guard = self.elem_lock.lock().unwrap();
                self.bucket.store(NULL, SeqCst);
                drop(guard);
                self.kfree(p);
                true
            }
            Variant::BucketLock => {
                let guard = self.bucket_lock.lock().unwrap();
                let p = self.bucket.load(SeqCst);
                if p == NULL {
                    return false;
                }
                self.bucket.store(NULL, SeqCst);
                drop(guard);
                self.kfree(p);
                true
            }
            Variant::SwapClaim => {
                let p = self.bucket.swap(NULL, SeqCst);
                if p == NULL {
                    return false;
                }
                drop(self.elem_lock.lock().unwrap());
                self.kfree(p);
                true
            }
        }
    }
}

fn deletes(variant: Variant) -> Scenario<String> {
    let name = match variant {
        Variant::PerElementLock => "a07::per_element_lock",
        Variant::BucketLock => "a07::bucket_lock",
        Variant::SwapClaim => "a07::swap_claim",
    };
    Scenario::new(name, move || {
        let table = Arc::new(Table::new());
        let handles: Vec<_> = ["alice", "bob"]
            .into_iter()
            .map(|who| {
                let t = Arc::clone(&table);
                thread::Builder::new()
                    .name(who)
                    .spawn(move || t.delete(variant))
                    .unwrap()
            })
            .collect();
        let deleted = handles.into_iter().map(|h| h.join().unwrap()).filter(|&d| d).count();
        format!(
            "{deleted} delete(s) succeeded, p freed {} time(s)",
            table.frees.load(SeqCst)
        )
    })
    .expect("1 delete(s) succeeded, p freed 1 time(s)", |o: &String| {
        if o == "1 delete(s) succeeded, p freed 1 time(s)" {
            Grade::Acceptable
        } else {
            Grade::Forbidden
        }
    })
}

#[test]
fn loom_per_element_lock_double_free() {
    let report = common::explore(&deletes(Variant::PerElementLock), &common::loom());
    report.assert_racy(Some(FailureKind::ForbiddenOutcome));
}

#[test]
fn shuttle_per_element_lock_double_free() {
    let report = common::explore(&deletes(Variant::PerElementLock), &common::shuttle());
    report.assert_racy(Some(FailureKind::ForbiddenOutcome));
}

#[test]
fn loom_bucket_lock_holds() {
    common::explore(&deletes(Variant::BucketLock), &common::loom()).assert_holds();
}

#[test]
fn shuttle_bucket_lock_holds() {
    common::explore(&deletes(Variant::BucketLock), &common::shuttle()).assert_holds();
}

#[test]
fn loom_swap_claim_holds() {
    common::explore(&deletes(Variant::SwapClaim), &common::loom()).assert_holds();
}

#[test]
fn shuttle_swap_claim_holds() {
    common::explore(&deletes(Variant::SwapClaim), &common::shuttle()).assert_holds();
}
