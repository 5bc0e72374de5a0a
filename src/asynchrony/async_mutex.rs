//! Fix 1: hold an async mutex across the await. The read, the save and the
//! write are one critical section; a second task waits at `lock().await`
//! (without blocking the thread) until the first has written.
//!
//! Lecture section *asyncio*, with the fix of section *GIL* ("make the
//! second user wait until the first has finished with the document") done
//! the async way: a std `Mutex` guard cannot be held across an `.await` (it
//! is not `Send`, and a task parked on it blocks the whole thread); an async
//! mutex's guard can ([`crate::sync::task::Mutex`]).
//!
//! Costs: edits are serialised for the whole save, however slow it is;
//! waiters busy-poll in this small mutex (tokio's queues them).

use super::edits::Editor;
use crate::sync::task::{self, Mutex};

/// The whole edit, save included, under an async lock.
#[derive(Debug)]
pub struct AsyncMutex {
    doc: Mutex<u64>,
}

impl Editor for AsyncMutex {
    fn new() -> Self {
        AsyncMutex {
            doc: Mutex::new(0, "doc"),
        }
    }

    async fn edit(&self) {
        let mut doc = self.doc.lock().await;
        let seen = *doc;
        // Others may run here, but none can get the lock.
        task::suspend("save()").await;
        *doc = seen + 1;
    }

    fn edits(&self) -> u64 {
        // No task runs any more when the scenario asks.
        self.doc.try_lock().map_or(0, |doc| *doc)
    }
}
