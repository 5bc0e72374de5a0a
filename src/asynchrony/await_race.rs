//! The racy async edit: read the document, await a save, write back what
//! was read plus one. Two tasks that both read 0 both write 1.
//!
//! Lecture section *asyncio*: one thread, no preemption, and still a lost
//! update, because `.await` is where a task lets the others run. The read
//! happens before the await and the write after it: another task's whole
//! edit fits in between, and this write erases it. shuttle's async executor
//! finds the schedule at once (the await is a scheduling point) and the
//! timeline shows it at the `await` line.
//!
//! Costs nothing, and loses edits. Fixed by [`super::async_mutex`] (hold a
//! lock across the await) or [`super::atomic_update`] (no await inside the
//! read-modify-write).

use super::edits::Editor;
use crate::sync::atomic::{AtomicU64, Ordering::SeqCst};
use crate::sync::task;

/// Read, await, write.
#[derive(Debug)]
pub struct AwaitRace {
    doc: AtomicU64,
}

impl Editor for AwaitRace {
    fn new() -> Self {
        AwaitRace {
            doc: AtomicU64::new(0).named("doc"),
        }
    }

    async fn edit(&self) {
        let seen = self.doc.load(SeqCst);
        // Another task runs here, edits, and is then overwritten.
        task::suspend("save()").await;
        self.doc.store(seen + 1, SeqCst);
    }

    fn edits(&self) -> u64 {
        self.doc.load(SeqCst)
    }
}
