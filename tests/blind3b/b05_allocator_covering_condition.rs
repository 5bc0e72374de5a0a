//! # b05: the memory allocator that wakes the wrong waiter
//!
//! Source: Arpaci-Dusseau, *Operating Systems: Three Easy Pieces*, ch. 30
//! "Condition Variables", §30.3 "Covering Conditions" (Figure 30.13, the
//! multi-threaded memory allocator of Lampson and Redell).
//!
//! The bug: `allocate(size)` waits on one condvar `c` while `bytesLeft <
//! size`; `free(size)` adds to `bytesLeft` and calls `signal(c)` (notify
//! one). With no bytes left, Ta waits for 100 bytes and Tb for 10; then 50
//! bytes are freed (here by `main`, in the book's Tc) and the one signal
//! wakes Ta, who cannot use 50 bytes and waits again, while Tb, who could,
//! sleeps on. Here `main` then joins Tb before it frees more: every thread
//! waits for ever. The fix is the covering condition: `broadcast`
//! (`notify_all`).
//!
//! ## Teacher marks (written before looking at racelab's marks)
//!
//! 1. `main` `notify_one c` (after freeing 50): the wake-up went to `ta`,
//!    who cannot proceed, instead of `tb`, who could: **lost wake-up** (a
//!    wake-up wasted on the wrong waiter; needs `notify_all`). A mark of
//!    kind deadlock counts only if its text says the notify woke the wrong
//!    waiter.
//! 2. `tb` `wait c` (blocked for ever while `bytes_left` = 50 >= 10):
//!    **deadlock** / lost wake-up, "waits for c, which no thread will
//!    notify".
//! 3. `main` `join tb`: **deadlock**, waits for tb (blocked). Optional: a
//!    missing mark here is not counted as a miss.
//!
//! `ta`'s second `wait c` may be marked as blocked for ever (true). No mark
//! belongs on `bytes_left`'s updates (all under the lock): no lost update.

use racelab::explore::{Explorer, Scenario};
use racelab::sync::{thread, Arc, Condvar, Mutex};

use crate::common;

struct Heap {
    bytes_left: Mutex<u32>,
    c: Condvar,
    broadcast: bool,
}

impl Heap {
    fn allocate(&self, size: u32) {
        let mut left = self.bytes_left.lock().unwrap();
        while *left < size {
            left = self.c.wait(left).unwrap();
        }
        *left -= size;
    }

    fn free(&self, size: u32) {
        let mut left = self.bytes_left.lock().unwrap();
        *left += size;
        if self.broadcast {
            self.c.notify_all();
        } else {
            self.c.notify_one();
        }
    }
}

fn scenario(broadcast: bool) -> Scenario<u32> {
    let name = if broadcast {
        "b05::fixed"
    } else {
        "b05::signal_not_broadcast"
    };
    Scenario::new(name, move || {
        let heap = Arc::new(Heap {
            bytes_left: Mutex::new(0).named("bytes_left"),
            c: Condvar::new().named("c"),
            broadcast,
        });
        let h = Arc::clone(&heap);
        let ta = thread::Builder::new()
            .name("ta")
            .spawn(move || h.allocate(100))
            .unwrap();
        let h = Arc::clone(&heap);
        let tb = thread::Builder::new().name("tb").spawn(move || h.allocate(10)).unwrap();
        heap.free(50);
        tb.join().unwrap();
        heap.free(60);
        ta.join().unwrap();
        let left = *heap.bytes_left.lock().unwrap();
        left
    })
    .expect_only(0)
}

#[test]
fn b05_loom_finds_the_stuck_allocation() {
    common::racy(&scenario(false), &Explorer::loom());
}

#[test]
fn b05_shuttle_finds_the_stuck_allocation() {
    common::racy(&scenario(false), &Explorer::shuttle());
}

#[test]
fn b05_fixed_holds_under_loom() {
    common::holds(&scenario(true), &Explorer::loom());
}

#[test]
fn b05_fixed_holds_under_shuttle() {
    common::holds(&scenario(true), &Explorer::shuttle());
}
