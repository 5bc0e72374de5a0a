//! Check for lab 12: when alice pops once while bob pops twice and pushes
//! his first node back, every node ends up in exactly one place, under
//! every schedule loom and shuttle explore.

use super::exercise;

use std::fmt;

use racelab::explore::{Grade, Scenario};
use racelab::sync::{thread, Arc};

/// Where every node ended up.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
struct Holdings {
    alice: Option<usize>,
    bob: Option<usize>,
    stack: Vec<usize>,
}

impl Holdings {
    /// A and B are each in exactly one place.
    fn conserved(&self) -> bool {
        let mut all: Vec<usize> = self
            .alice
            .into_iter()
            .chain(self.bob)
            .chain(self.stack.clone())
            .collect();
        all.sort_unstable();
        all == [1, 2]
    }
}

impl fmt::Display for Holdings {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let name = |node: usize| ["none", "A", "B"].get(node).copied().unwrap_or("?");
        let one = |held: Option<usize>| held.map_or("nothing", name);
        let stack: Vec<&str> = self.stack.iter().map(|&node| name(node)).collect();
        write!(
            f,
            "alice has {}, bob has {}, stack [{}]",
            one(self.alice),
            one(self.bob),
            stack.join(" ")
        )
    }
}

#[test]
fn every_node_ends_in_exactly_one_place() {
    let scenario = Scenario::new("lab 12: ABA stack", || {
        racelab::trace::note("nodes: 1 is A, 2 is B, 0 is none");
        let stack = Arc::new(exercise::Stack::new());
        stack.push(2);
        stack.push(1); // A on top of B
        let s = Arc::clone(&stack);
        let alice = thread::Builder::new()
            .name("alice")
            .spawn(move || s.pop())
            .expect("spawn alice");
        let s = Arc::clone(&stack);
        let bob = thread::Builder::new()
            .name("bob")
            .spawn(move || {
                let first = s.pop();
                let second = s.pop();
                if let Some(first) = first {
                    s.push(first);
                }
                second
            })
            .expect("spawn bob");
        let alice = alice.join().expect("alice panicked");
        let bob = bob.join().expect("bob panicked");
        Holdings {
            alice,
            bob,
            stack: stack.contents(),
        }
    })
    .expect("every node in exactly one place", |h: &Holdings| {
        if h.conserved() {
            Grade::Acceptable
        } else {
            Grade::Forbidden
        }
    });
    racelab_labs::check(scenario, racelab_labs::MODELS);
}
