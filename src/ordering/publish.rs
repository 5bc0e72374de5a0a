//! Publication: one thread writes data into a plain (non-atomic) cell, then
//! sets a flag; another thread checks the flag and, if it is set, reads the
//! data.
//!
//! Lecture section *threading*: threads share the process's memory. This is
//! how one thread hands a value to another without a lock, and the place
//! where ordering stops being theory. With a `Relaxed` flag nothing orders
//! the data write before the data read: the reader may see the flag set and
//! read the cell while (as far as the memory model is concerned) the write
//! is still in flight — a data race, undefined behaviour in Rust. loom
//! checks every cell access against happens-before and reports it (kind
//! `data race`). A `Release` store of the flag and an `Acquire` load that
//! sees it order the write before the read: no race. This is [`super::mp`]
//! with real data.
//!
//! shuttle does not check cell accesses and runs every atomic as `SeqCst`:
//! it sees nothing wrong with the `Relaxed` version. That contrast is the
//! point: a weak-memory bug needs loom.
//!
//! Cost of the fix: on x86 nothing (every store is a release and every load
//! an acquire already); on ARM a barrier or a load-acquire instruction.

use crate::explore::Scenario;
use crate::sync::atomic::{AtomicBool, Ordering};
use crate::sync::cell::UnsafeCell;
use crate::sync::{thread, Arc};

/// A value written once and published through a flag.
#[derive(Debug)]
pub struct Mailbox {
    data: UnsafeCell<u64>,
    ready: AtomicBool,
    publish: Ordering,
    observe: Ordering,
}

// SAFETY: `data` is written only by `send`, before the flag is stored, and
// read only by `receive` after the flag is seen set. That is sound when the
// flag is stored with `Release` and loaded with `Acquire` (the write then
// happens-before the read); with `Relaxed` it is NOT sound — that is the
// data race the `publish_relaxed` scenario exists to show, and loom reports
// it before the read happens.
unsafe impl Sync for Mailbox {}

impl Mailbox {
    /// An empty mailbox whose flag is stored with `publish` and loaded with
    /// `observe`.
    pub fn new(publish: Ordering, observe: Ordering) -> Self {
        Mailbox {
            data: UnsafeCell::new(0).named("data"),
            ready: AtomicBool::new(false).named("ready"),
            publish,
            observe,
        }
    }

    /// Writes the data, then raises the flag. Call once.
    pub fn send(&self, value: u64) {
        // SAFETY: only the one sender writes, and no reader reads before
        // it sees the flag (see the `Sync` impl for when that suffices).
        self.data.with_mut(|p| unsafe { *p = value });
        self.ready.store(true, self.publish);
    }

    /// The data, if the flag is up.
    pub fn receive(&self) -> Option<u64> {
        if self.ready.load(self.observe) {
            // SAFETY: the flag is up, so the single write is done; whether
            // it is also *visible* depends on the orderings (see `Sync`).
            Some(self.data.with(|p| unsafe { *p }))
        } else {
            None
        }
    }
}

/// What the reader got.
pub fn describe(got: Option<u64>) -> String {
    match got {
        Some(v) => format!("reader got {v}"),
        None => "reader saw no flag".to_owned(),
    }
}

/// A sender publishes 42; the reader checks once. Acceptable: it saw no
/// flag, or it saw 42.
pub fn scenario(name: &str, publish: Ordering, observe: Ordering) -> Scenario<String> {
    Scenario::new(name, move || {
        let mailbox = Arc::new(Mailbox::new(publish, observe));
        let m = Arc::clone(&mailbox);
        let sender = thread::Builder::new()
            .name("sender")
            .spawn(move || m.send(42))
            .expect("spawn the sender");
        let reader = thread::Builder::new()
            .name("reader")
            .spawn(move || mailbox.receive())
            .expect("spawn the reader");
        sender.join().expect("the sender panicked");
        describe(reader.join().expect("the reader panicked"))
    })
    .expect("no flag, or 42", |o: &String| {
        if o == "reader saw no flag" || o == "reader got 42" {
            crate::explore::Grade::Acceptable
        } else {
            crate::explore::Grade::Forbidden
        }
    })
    .note("shuttle neither checks cell accesses nor weakens atomics: it cannot see this race; loom can")
}
