//! # b06: an `Arc` whose drop decrements with `Relaxed`
//!
//! Source: Mara Bos, *Rust Atomics and Locks*, ch. 6 "Building Our Own
//! Arcs", §"Basic Reference Counting" (the `Drop` impl: `fetch_sub(1,
//! Release)`, then `fence(Acquire)` before the `Box` is dropped).
//!
//! The bug: the decrement is `fetch_sub(1, Relaxed)` and there is no acquire
//! fence. Two handles: `main` and thread `t` each read the shared value and
//! then drop their handle; whoever decrements last drops the value (here: a
//! write to the cell, standing for `drop(Box::from_raw(ptr))`). A Relaxed
//! read-modify-write neither publishes the other thread's earlier read
//! (Release) nor acquires it (Acquire), so the last owner's drop is not
//! ordered after the other owner's read: a data race on the value
//! (use-after-free in real code). Invisible under sequential consistency.
//!
//! ## Teacher marks (written before looking at racelab's marks)
//!
//! Say `t` decrements first and `main` last (the same with the roles
//! swapped):
//! 1. `main` `write data` (the drop, after `fetch_sub ref_count -> 1`):
//!    **data race**, "races with step N", N being `t`'s `read data`.
//!    Lenient: the mark on `t`'s `read data`.
//! 2. `main` `fetch_sub ref_count` (Relaxed, returned 1): **no
//!    synchronisation**, "this Relaxed RMW reads t's decrement but does not
//!    acquire it (needs Acquire, or fence(Acquire) before the drop)".
//! 3. `t` `fetch_sub ref_count` (Relaxed): **no synchronisation**, "does not
//!    release t's read of data (needs Release)". Lenient for 2 and 3: one
//!    no_sync mark on either decrement that names both halves.
//!
//! Shuttle runs every atomic as SeqCst and has no race detector: it cannot
//! see this bug (README: "shuttle cannot see it" for the same shape in
//! `ordering::publish_relaxed`). A "holds" there is a documented blind
//! spot, but still the wrong verdict for this program.

use racelab::explore::{Explorer, Scenario};
use racelab::sync::atomic::{fence, AtomicUsize, Ordering};
use racelab::sync::cell::UnsafeCell;
use racelab::sync::{thread, Arc};

use crate::common;

struct Inner {
    ref_count: AtomicUsize,
    data: UnsafeCell<u64>,
}

// As in the book: `unsafe impl<T: Send + Sync> Sync for Arc<T>`.
unsafe impl Sync for Inner {}

/// Mara's `Arc<T>`; the allocation itself is an `Arc` only so the test
/// cannot really use freed memory.
struct MyArc {
    inner: Arc<Inner>,
    fixed: bool,
}

impl MyArc {
    fn new(value: u64, fixed: bool) -> Self {
        MyArc {
            inner: Arc::new(Inner {
                ref_count: AtomicUsize::new(1).named("ref_count"),
                data: UnsafeCell::new(value).named("data"),
            }),
            fixed,
        }
    }

    fn get(&self) -> u64 {
        self.inner.data.with(|p| unsafe { *p })
    }
}

impl Clone for MyArc {
    fn clone(&self) -> Self {
        self.inner.ref_count.fetch_add(1, Ordering::Relaxed);
        MyArc {
            inner: Arc::clone(&self.inner),
            fixed: self.fixed,
        }
    }
}

impl Drop for MyArc {
    fn drop(&mut self) {
        let order = if self.fixed {
            Ordering::Release
        } else {
            Ordering::Relaxed
        };
        if self.inner.ref_count.fetch_sub(1, order) == 1 {
            if self.fixed {
                fence(Ordering::Acquire);
            }
            // drop(Box::from_raw(self.ptr.as_ptr())): the value is destroyed.
            self.inner.data.with_mut(|p| unsafe { *p = 0 });
        }
    }
}

fn scenario(fixed: bool) -> Scenario<String> {
    let name = if fixed { "b06::fixed" } else { "b06::relaxed_drop" };
    Scenario::new(name, move || {
        let a = MyArc::new(42, fixed);
        let b = a.clone();
        let t = thread::Builder::new()
            .name("t")
            .spawn(move || {
                let v = b.get();
                drop(b);
                v
            })
            .unwrap();
        let v = a.get();
        drop(a);
        let w = t.join().unwrap();
        format!("main read {v}, t read {w}")
    })
    .expect_only("main read 42, t read 42".to_owned())
}

#[test]
fn b06_loom_finds_the_race() {
    common::racy(&scenario(false), &Explorer::loom());
}

// Wrong verdict (see SCORES.md): shuttle reports "holds" for this racy
// program (documented: no race detector, every atomic SeqCst; the report's
// notes say so).
#[test]
#[ignore = "wrong verdict: shuttle says holds for a racy program"]
fn b06_shuttle_finds_the_race() {
    common::racy(&scenario(false), &Explorer::shuttle());
}

#[test]
fn b06_fixed_holds_under_loom() {
    common::holds(&scenario(true), &Explorer::loom());
}

#[test]
fn b06_fixed_holds_under_shuttle() {
    common::holds(&scenario(true), &Explorer::shuttle());
}
