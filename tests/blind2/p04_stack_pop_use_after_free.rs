//! Lock-free stack pop without hazard pointers (perfbook ch. 9, "Deferred
//! Processing"; Michael's hazard pointer paper): alice reads `head` (node A),
//! then dereferences A to read `A.next`. Meanwhile bob pops A and frees it
//! (here: poisons `a_next` with 0xdead, as a freed and reused node would
//! hold garbage). alice then reads freed memory.
//!
//! Nodes: A (index 1) -> B (index 2) -> null (0). `head` = 1.
//!
//! Teacher marks (written before looking at racelab's marks):
//! 1. alice's `load a_next -> 0xdead` (57005): a use after free: acts on a
//!    stale check (her `load head -> 1` is no longer true: bob popped A and
//!    freed it in between).
//! Total: 1 mark. (alice's later CAS on head fails, harmless: no mark.)

use racelab::explore::{Explorer, Grade, Scenario};
use racelab::sync::atomic::{AtomicUsize, Ordering::SeqCst};
use racelab::sync::{thread, Arc};

const POISON: usize = 0xdead;

struct Stack {
    head: AtomicUsize,
    a_next: AtomicUsize,
}

fn scenario() -> Scenario<String> {
    Scenario::new("blind2::stack_pop_use_after_free", || {
        let s = Arc::new(Stack {
            head: AtomicUsize::new(1).named("head"),
            a_next: AtomicUsize::new(2).named("a_next"),
        });
        let s2 = s.clone();
        let alice = thread::Builder::new()
            .name("alice")
            .spawn(move || {
                let h = s2.head.load(SeqCst);
                // dereference the node: only node A (index 1) is modelled
                let next = if h == 1 { s2.a_next.load(SeqCst) } else { 0 };
                let _ = s2.head.compare_exchange(h, next, SeqCst, SeqCst);
                next
            })
            .unwrap();
        let bob = thread::Builder::new()
            .name("bob")
            .spawn(move || {
                let h = s.head.load(SeqCst);
                if h == 1 {
                    let next = s.a_next.load(SeqCst);
                    if s.head.compare_exchange(h, next, SeqCst, SeqCst).is_ok() {
                        // free(A): the node's memory is garbage from now on
                        s.a_next.store(POISON, SeqCst);
                    }
                }
            })
            .unwrap();
        bob.join().unwrap();
        let next = alice.join().unwrap();
        if next == POISON {
            "alice read freed node A".to_string()
        } else {
            format!("alice read next = {next}")
        }
    })
    .expect("alice never reads a freed node", |o: &String| {
        if o.contains("freed") {
            Grade::Forbidden
        } else {
            Grade::Acceptable
        }
    })
}

#[test]
fn loom() {
    super::common::run(&scenario(), &Explorer::loom()).assert_racy(None);
}

#[test]
fn shuttle() {
    super::common::run(&scenario(), &Explorer::shuttle()).assert_racy(None);
}
