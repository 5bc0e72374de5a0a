//! # Java Concurrency in Practice, Listing 5.1: `getLast` / `deleteLast` on a `Vector`
//!
//! Source: Goetz et al., *Java Concurrency in Practice*, section 5.1.1,
//! Listing 5.1 ("Compound actions on a Vector that may produce confusing
//! results") and Figure 5.1: every `Vector` method is synchronized, but
//! `getLast` is `size()` then `get(size - 1)`, and `deleteLast` is `size()`
//! then `remove(size - 1)`: two calls each.
//!
//! The bug (Figure 5.1): A calls `getLast` and B `deleteLast` on the same
//! vector. A reads `size`, B reads `size` and removes the last element, and
//! A's `get(lastIndex)` throws `ArrayIndexOutOfBoundsException`: its index
//! came from a size that no longer holds. Here the vector is a
//! `RwLock<Vec<u32>>` (reads share, `remove` writes), and the throw is Rust's
//! index-out-of-bounds panic.
//!
//! ## Teacher marks (written before looking at racelab's marks)
//! 1. `alice`'s second `read vector` (`get(lastIndex)`, the one that panics):
//!    kind `stale_check` ("acts on the check at step N", N = her `read
//!    vector` for `size()`, which `bob`'s remove invalidated), or
//!    `atomicity_violation` (size and get meant as one, split by bob).
//!    Lenient: `bob`'s `write vector` (the remove) explained as landing
//!    between alice's size and get.
//!
//! Spurious: `lost_update` (nothing is overwritten), `deadlock`, a mark on
//! `bob`'s own size/remove pair presented as stale (his check held when he
//! acted), a `data_race` (every access is under the lock).
//!
//! Control: `getLast` under one read lock and `deleteLast` under one write
//! lock (JCiP's fix: client-side locking on the vector itself).

use crate::common::{explore, loom, shuttle};
use racelab::explore::{FailureKind, Scenario};
use racelab::sync::{thread, Arc, RwLock};

fn get_last(v: &RwLock<Vec<u32>>, atomic: bool) -> u32 {
    if atomic {
        let g = v.read().unwrap();
        let last_index = g.len() - 1;
        g[last_index]
    } else {
        let last_index = v.read().unwrap().len() - 1; // size()
        v.read().unwrap()[last_index] // get(lastIndex)
    }
}

fn delete_last(v: &RwLock<Vec<u32>>, atomic: bool) {
    if atomic {
        let mut g = v.write().unwrap();
        let last_index = g.len() - 1;
        g.remove(last_index);
    } else {
        let last_index = v.read().unwrap().len() - 1; // size()
        v.write().unwrap().remove(last_index); // remove(lastIndex)
    }
}

fn vector(atomic: bool) -> Scenario<u32> {
    let name = if atomic { "jcip::vector_locked" } else { "jcip::vector" };
    Scenario::new(name, move || {
        let v = Arc::new(RwLock::new(vec![10u32, 20]).named("vector"));
        let va = Arc::clone(&v);
        let alice = thread::Builder::new()
            .name("alice")
            .spawn(move || get_last(&va, atomic))
            .unwrap();
        let vb = Arc::clone(&v);
        let bob = thread::Builder::new()
            .name("bob")
            .spawn(move || delete_last(&vb, atomic))
            .unwrap();
        let last = alice.join().unwrap();
        bob.join().unwrap();
        last
    })
    .expect(
        "getLast returns an element that was last (20, or 10 once 20 is gone)",
        |v: &u32| {
            if *v == 10 || *v == 20 {
                racelab::explore::Grade::Acceptable
            } else {
                racelab::explore::Grade::Forbidden
            }
        },
    )
}

#[test]
fn a06_vector_loom() {
    explore(&vector(false), &loom()).assert_racy(Some(FailureKind::Panic));
}

#[test]
fn a06_vector_shuttle() {
    explore(&vector(false), &shuttle()).assert_racy(Some(FailureKind::Panic));
}

#[test]
fn a06_control_client_side_locking_holds() {
    explore(&vector(true), &loom()).assert_holds();
    explore(&vector(true), &shuttle()).assert_holds();
}
