//! Check-then-dequeue (The Deadlock Empire, "Producer-Consumer" level, and
//! every `if (queue.Count > 0) queue.Dequeue()`): two consumers each lock
//! the queue to see it is not empty, unlock, then lock it again to pop.
//! With one item, both can pass the check, and the second pop finds nothing
//! (in C# it throws).
//!
//! Teacher marks (written before looking at racelab's marks):
//! 1. the losing consumer's second `lock queue` (the pop, finding `[]`):
//!    acts on a stale check (its own check at the earlier `lock queue`
//!    saw `[42]`, the other consumer has emptied it since).
//! Total: 1 mark.

use racelab::explore::{Explorer, Grade, Scenario};
use racelab::sync::{thread, Arc, Mutex};

fn consume(q: &Mutex<Vec<u32>>) -> &'static str {
    let nonempty = !q.lock().unwrap().is_empty();
    if nonempty {
        match q.lock().unwrap().pop() {
            Some(_) => "got",
            None => "CHECKED-BUT-EMPTY",
        }
    } else {
        "skipped"
    }
}

fn scenario() -> Scenario<String> {
    Scenario::new("blind2::queue_check_then_pop", || {
        let q = Arc::new(Mutex::new(vec![42u32]).named("queue"));
        let (q1, q2) = (q.clone(), q.clone());
        let a = thread::Builder::new()
            .name("alice")
            .spawn(move || consume(&q1))
            .unwrap();
        let b = thread::Builder::new().name("bob").spawn(move || consume(&q2)).unwrap();
        format!("alice {}, bob {}", a.join().unwrap(), b.join().unwrap())
    })
    .expect("no consumer pops an empty queue", |o: &String| {
        if o.contains("CHECKED-BUT-EMPTY") {
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
