//! **ABA on a lock-free free list** — the free-list example of the IBM
//! System/370 *Principles of Operation* (Appendix A, "Free-Pool
//! Manipulation"), the origin of the ABA problem; Treiber 1986. Two buffer
//! slots on a free list (`free_head`, and `next[0]`, `next[1]`); `alloc`
//! pops (load head, load its next, compare-exchange head), `free` pushes.
//!
//! Alice allocates one slot. Bob allocates two, then frees the first. If
//! alice read `head = 0, next = 1` before Bob's three operations, her
//! compare-exchange `0 -> 1` still succeeds (the head went 0, NIL... and came
//! back to 0), and installs slot 1, which Bob holds, as the free head: the
//! next allocation hands out a slot in use.
//!
//! Teacher's marks: alice's compare-exchange on `free_head`, fooled by a
//! value that left and came back: ABA.

use racelab::explore::{FailureKind, Grade, Scenario};
use racelab::sync::atomic::{AtomicUsize, Ordering::SeqCst};
use racelab::sync::Arc;
use racelab::trace::{MarkKind, Op};

use crate::support::{mark_by, spawn, Puzzle, Verdict};

const NIL: usize = 2;

struct FreeList {
    head: AtomicUsize,
    next: [AtomicUsize; 2],
}

impl FreeList {
    fn alloc(&self) -> Option<usize> {
        loop {
            let h = self.head.load(SeqCst);
            if h == NIL {
                return None;
            }
            let n = self.next[h].load(SeqCst);
            if self.head.compare_exchange(h, n, SeqCst, SeqCst).is_ok() {
                return Some(h);
            }
        }
    }

    fn free(&self, slot: usize) {
        loop {
            let h = self.head.load(SeqCst);
            self.next[slot].store(h, SeqCst);
            if self.head.compare_exchange(h, slot, SeqCst, SeqCst).is_ok() {
                return;
            }
        }
    }
}

pub fn puzzle() -> Puzzle {
    let scenario = Scenario::new("puzzles::free_list_aba", || {
        let list = Arc::new(FreeList {
            head: AtomicUsize::new(0).named("free_head"),
            next: [
                AtomicUsize::new(1).named("next[0]"),
                AtomicUsize::new(NIL).named("next[1]"),
            ],
        });
        let l = Arc::clone(&list);
        let alice = spawn("alice", move || l.alloc());
        let l = Arc::clone(&list);
        let bob = spawn("bob", move || {
            let first = l.alloc();
            let second = l.alloc();
            if let Some(s) = first {
                l.free(s);
            }
            second
        });
        let (a, b) = (alice.join().unwrap(), bob.join().unwrap());
        let next = list.alloc();
        format!("alice holds {a:?}, bob holds {b:?}, next alloc {next:?}")
    })
    .expect("no slot handed out twice", |o: &String| {
        let slots: Vec<&str> = o.matches("Some(0)").chain(o.matches("Some(1)")).collect();
        let zeros = o.matches("Some(0)").count();
        let ones = o.matches("Some(1)").count();
        if zeros > 1 || ones > 1 || slots.is_empty() {
            Grade::Forbidden
        } else {
            Grade::Acceptable
        }
    });
    Puzzle {
        name: "free_list_aba",
        source: "IBM System/370 Principles of Operation, free-pool manipulation; Treiber 1986",
        scenario: Box::new(scenario),
        verdict: Verdict::Fails(FailureKind::ForbiddenOutcome),
        marks: vec![mark_by(MarkKind::Aba, Op::CompareExchange, "free_head", "alice")],
    }
}

crate::puzzle_tests!();
