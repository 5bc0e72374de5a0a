//! **Check, then react, on a map** — jcstress-samples,
//! `high/race/condition/RaceCondition_02_CheckThenReactSequence.java`
//! (openjdk/jcstress): `if (!map.containsKey(k)) map.put(k, v)`, each call
//! thread-safe, the pair not. Here the map is a `Mutex<Vec<(key, owner)>>`
//! locked once for the check and once for the insertion; both threads
//! register the same key.
//!
//! Teacher's marks: the second insertion (the unlock that writes the map)
//! acts on a check ("not present") that the other thread acted on too: a
//! stale check.

use racelab::explore::{FailureKind, Scenario};
use racelab::sync::{Arc, Mutex};
use racelab::trace::{MarkKind, Op};

use crate::support::{mark, spawn, Puzzle, Verdict};

type Map = Mutex<Vec<(&'static str, &'static str)>>;

fn put_if_absent(map: &Map, key: &'static str, owner: &'static str) -> bool {
    let present = map.lock().unwrap().iter().any(|(k, _)| *k == key);
    if !present {
        map.lock().unwrap().push((key, owner));
    }
    !present
}

pub fn puzzle() -> Puzzle {
    let scenario = Scenario::new("puzzles::put_if_absent", || {
        let map: Arc<Map> = Arc::new(Mutex::new(Vec::new()).named("map").traced());
        let m = Arc::clone(&map);
        let alice = spawn("alice", move || put_if_absent(&m, "k", "alice"));
        let m = Arc::clone(&map);
        let bob = spawn("bob", move || put_if_absent(&m, "k", "bob"));
        let winners = usize::from(alice.join().unwrap()) + usize::from(bob.join().unwrap());
        let entries = map.lock().unwrap().len();
        format!("{winners} inserted, {entries} entries")
    })
    .expect_only("1 inserted, 1 entries".to_owned());
    Puzzle {
        name: "put_if_absent",
        source: "jcstress-samples RaceCondition_02_CheckThenReactSequence",
        scenario: Box::new(scenario),
        verdict: Verdict::Fails(FailureKind::ForbiddenOutcome),
        marks: vec![mark(MarkKind::StaleCheck, Op::Unlock, "map")],
    }
}

crate::puzzle_tests!();
