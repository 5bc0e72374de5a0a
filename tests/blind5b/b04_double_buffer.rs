//! # b04: a double buffer published with a `Relaxed` index
//!
//! A renderer shows frames from a double buffer: two frame slots
//! (`racelab::sync::cell::UnsafeCell<u32>`) and `front`, an `AtomicUsize`
//! saying which slot is complete. The producer draws frame 42 into the back
//! slot, then flips `front` with a `Relaxed` store; the renderer loads
//! `front` with `Relaxed` and reads that slot. Relaxed orders nothing: the
//! renderer can see `front == 1` and still read slot 1 without the producer's
//! drawing happening before it (a data race on the back slot; on a weak
//! machine, a half-drawn frame).
//!
//! ## Teacher marks (written before looking at racelab's marks)
//! Schedule (loom): producer `load front -> 0`, producer `write buf1`,
//! producer `store front <- 1` (Relaxed), renderer `load front -> 1`
//! (Relaxed), renderer `read buf1`: data race.
//! 1. The renderer's `read buf1`: kind `data_race`, "races with step N"
//!    (the producer's `write buf1`). Other end (lenient): the same on the
//!    producer's `write buf1`.
//! 2. The renderer's `load front -> 1` (Relaxed): kind `no_sync`, "this
//!    Relaxed load does not synchronise with the store at step N". Other end
//!    (lenient): the producer's `Relaxed` `store front <- 1` with the
//!    matching text.
//!
//! Spurious: `stale_read` on `load front -> 1` (it read the latest value);
//! `lost_update`; any mark on the producer's `load front -> 0` (only it
//! touches `front` before the flip).
//!
//! shuttle treats every atomic as `SeqCst` and does not check cells: its
//! documented verdict is "holds", with nothing to mark.
//!
//! Control: `Release` store, `Acquire` load.

use racelab::explore::{FailureKind, Scenario};
use racelab::sync::atomic::{AtomicUsize, Ordering};
use racelab::sync::cell::UnsafeCell;
use racelab::sync::{thread, Arc};

use crate::common;

struct DoubleBuffer {
    slots: [UnsafeCell<u32>; 2],
    front: AtomicUsize,
}

// SAFETY (claimed by the program's author, and wrong with `Relaxed`): the
// producer only writes the back slot, the renderer only reads the front one.
unsafe impl Sync for DoubleBuffer {}

impl DoubleBuffer {
    fn new() -> Self {
        DoubleBuffer {
            slots: [UnsafeCell::new(0).named("buf0"), UnsafeCell::new(0).named("buf1")],
            front: AtomicUsize::new(0).named("front"),
        }
    }

    fn publish(&self, frame: u32, flip: Ordering) {
        let back = 1 - self.front.load(Ordering::Relaxed);
        // SAFETY: see the `Sync` impl.
        self.slots[back].with_mut(|p| unsafe { *p = frame });
        self.front.store(back, flip);
    }

    fn show(&self, look: Ordering) -> u32 {
        let i = self.front.load(look);
        // SAFETY: see the `Sync` impl.
        self.slots[i].with(|p| unsafe { *p })
    }
}

fn renderer(fixed: bool) -> Scenario<u32> {
    let (name, flip, look) = if fixed {
        (
            "b04::double_buffer_release_acquire",
            Ordering::Release,
            Ordering::Acquire,
        )
    } else {
        ("b04::double_buffer_relaxed", Ordering::Relaxed, Ordering::Relaxed)
    };
    Scenario::new(name, move || {
        let buffer = Arc::new(DoubleBuffer::new());
        let b = Arc::clone(&buffer);
        let producer = thread::Builder::new()
            .name("producer")
            .spawn(move || b.publish(42, flip))
            .unwrap();
        let b = Arc::clone(&buffer);
        let renderer = thread::Builder::new()
            .name("renderer")
            .spawn(move || b.show(look))
            .unwrap();
        producer.join().unwrap();
        renderer.join().unwrap()
    })
    .expect("frame 0 (old) or 42 (new)", |&f| {
        if f == 0 || f == 42 {
            racelab::explore::Grade::Acceptable
        } else {
            racelab::explore::Grade::Forbidden
        }
    })
}

#[test]
fn loom_finds_the_data_race() {
    common::explore(&renderer(false), &common::loom()).assert_racy(Some(FailureKind::DataRace));
}

#[test]
fn shuttle_is_blind_to_relaxed() {
    // Documented: shuttle runs every atomic as SeqCst and checks no cells.
    common::explore(&renderer(false), &common::shuttle()).assert_holds();
}

#[test]
fn control_release_acquire_holds() {
    common::explore(&renderer(true), &common::loom()).assert_holds();
    common::explore(&renderer(true), &common::shuttle()).assert_holds();
}
