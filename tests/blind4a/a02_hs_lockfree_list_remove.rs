//! # a02: two removes of adjacent nodes with compare-and-set alone (Herlihy & Shavit)
//!
//! Source: Herlihy & Shavit, *The Art of Multiprocessor Programming*, §9.8
//! "Nonblocking synchronization": the example that shows why a lock-free
//! list cannot unlink a node with one `compareAndSet` on its predecessor's
//! `next` field (and so needs `AtomicMarkableReference`).
//!
//! Bug: list `head -> a -> b -> tail`. `alice` removes `a` by
//! `CAS(head.next, a, a.next)`, `bob` removes `b` by `CAS(a.next, b, b.next)`.
//! Each CAS checks only its own word: alice's copies `a.next` read before bob
//! changed it, or bob's lands on `a` after alice unlinked it. Both succeed,
//! and `b` is still reachable: bob's removal is lost. Node numbers in the
//! timeline: 1 = a, 2 = b, 3 = tail.
//!
//! ## Teacher marks (written before looking at racelab's marks)
//! Two interleavings fail; one mark pair each.
//! (i) alice reads `a.next -> 2`, bob's CAS `a.next 2 -> 3`, alice's CAS `head.next 1 -> 2`:
//! 1. alice's CAS on `head.next` (writes 2 = b): **stale check / lost
//!    update**: it writes the successor it read from `a.next` before bob's
//!    CAS changed it, so bob's unlink of b is undone. The text must name
//!    bob's CAS on `a.next` (or alice's read of `a.next`).
//! 2. lenient end: bob's CAS on `a.next`.
//!
//! (ii) bob reads `head.next -> 1` (finds pred = a), alice's CAS `head.next 1 -> 2`, bob's CAS `a.next 2 -> 3`:
//! 1. bob's CAS on `a.next`: **stale check**: it acts on its traversal's
//!    check that `a` is still linked (`head.next -> 1`), which alice's CAS
//!    changed after it; the CAS succeeds on an unlinked node, so it removes
//!    nothing.
//! 2. lenient end: alice's CAS on `head.next`.
//!
//! Accepted kinds: `stale_check`, `lost_update`, `atomicity_violation`. Text
//! must be true (which step changed what). Spurious: marks on `main`'s final
//! traversal, on the loads of the traversal other than the one acted on, a
//! `stale_read`/`no_sync` (all loads are Acquire, all CAS AcqRel: ordering is
//! not the bug), an `aba` (no value changes back).

use racelab::explore::{Explorer, Scenario};
use racelab::sync::atomic::{AtomicUsize, Ordering::*};
use racelab::sync::{thread, Arc, Mutex};

use crate::common;

const HEAD: usize = 0;
const A: usize = 1;
const B: usize = 2;
const TAIL: usize = 3;

/// `next[n]` is node n's successor (head, a, b; tail has none).
struct List {
    next: [AtomicUsize; 3],
}

impl List {
    fn new() -> Self {
        List {
            next: [
                AtomicUsize::new(A).named("head.next"),
                AtomicUsize::new(B).named("a.next"),
                AtomicUsize::new(TAIL).named("b.next"),
            ],
        }
    }

    /// Unlinks `key` by one CAS on its predecessor's `next`; retries from the
    /// head if the CAS fails. Returns whether `key` was found.
    fn remove(&self, key: usize) -> bool {
        loop {
            let mut pred = HEAD;
            let mut curr = self.next[HEAD].load(Acquire);
            while curr != key && curr != TAIL {
                pred = curr;
                curr = self.next[curr].load(Acquire);
            }
            if curr == TAIL {
                return false;
            }
            let succ = self.next[curr].load(Acquire);
            if self.next[pred].compare_exchange(curr, succ, AcqRel, Acquire).is_ok() {
                return true;
            }
        }
    }

    fn contents(&self) -> Vec<&'static str> {
        let mut out = Vec::new();
        let mut curr = self.next[HEAD].load(Acquire);
        while curr != TAIL {
            out.push(if curr == A { "a" } else { "b" });
            curr = self.next[curr].load(Acquire);
        }
        out
    }
}

fn run(list: Arc<List>, lock: Option<Arc<Mutex<()>>>) -> String {
    let spawn = |name: &str, key: usize| {
        let list = Arc::clone(&list);
        let lock = lock.clone();
        thread::Builder::new()
            .name(name)
            .spawn(move || {
                let _held = lock.as_ref().map(|l| l.lock().unwrap());
                list.remove(key)
            })
            .unwrap()
    };
    let alice = spawn("alice", A);
    let bob = spawn("bob", B);
    let (ra, rb) = (alice.join().unwrap(), bob.join().unwrap());
    format!("alice={ra} bob={rb} list={:?}", list.contents())
}

const EXPECTED: &str = "alice=true bob=true list=[]";

fn cas_only() -> Scenario<String> {
    Scenario::new("blind4a::a02_lockfree_list_remove", || run(Arc::new(List::new()), None))
        .expect_only(EXPECTED.to_string())
}

/// Control, with another primitive than the book's fix (marked references):
/// the two removes under one `Mutex`, so neither can act on a traversal the
/// other made stale.
fn under_a_lock() -> Scenario<String> {
    Scenario::new("blind4a::a02_lockfree_list_remove_locked", || {
        let lock = Arc::new(Mutex::new(()).named("list_lock"));
        run(Arc::new(List::new()), Some(lock))
    })
    .expect_only(EXPECTED.to_string())
}

#[test]
fn loom_finds_the_lost_remove() {
    common::racy(&cas_only(), Explorer::loom());
}

#[test]
fn shuttle_finds_the_lost_remove() {
    common::racy(&cas_only(), Explorer::shuttle());
}

#[test]
fn locked_holds_on_loom() {
    common::holds(&under_a_lock(), Explorer::loom());
}

#[test]
fn locked_holds_on_shuttle() {
    common::holds(&under_a_lock(), Explorer::shuttle());
}
