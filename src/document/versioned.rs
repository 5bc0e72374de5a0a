//! Fix 2: optimistic concurrency — save only if nobody saved since you
//! opened (compare-and-swap on the version); otherwise open again and redo
//! the edit.
//!
//! Lecture section *GIL* (the shared document), fixed the way databases
//! and wikis do: nobody waits while others edit; a conflict is detected at
//! save time instead of prevented at open time. The same idea as the
//! counter's compare-exchange loop, with a whole document as the value.
//!
//! Cost: an edit that loses the race is thrown away and redone, so under
//! heavy contention work is wasted; the retries are bounded
//! ([`MAX_ATTEMPTS`]) and past the bound the edit fails with
//! [`EditError::TooManyConflicts`] rather than retrying forever.

use super::{Document, EditError, Store};
use crate::sync::Mutex;

/// Saves tried before an edit gives up.
pub const MAX_ATTEMPTS: u32 = 8;

/// Versioned saves, retried on conflict.
#[derive(Debug)]
pub struct Versioned {
    doc: Mutex<Document>,
}

impl Store for Versioned {
    fn new(text: &str) -> Self {
        Versioned {
            doc: Mutex::new(Document::new(text)).named("doc").traced(),
        }
    }

    fn edit(&self, change: &dyn Fn(&mut String)) -> Result<(), EditError> {
        for _ in 0..MAX_ATTEMPTS {
            let mut copy = self.doc.get_cloned().unwrap_or_else(|p| p.into_inner());
            change(&mut copy.text);
            // The save is a compare-and-swap: it only replaces the version
            // this edit started from.
            let mut doc = self.doc.lock().unwrap_or_else(|p| p.into_inner());
            if doc.version == copy.version {
                copy.version += 1;
                *doc = copy;
                return Ok(());
            }
            // Someone saved since our open: drop our copy and start over.
        }
        Err(EditError::TooManyConflicts { attempts: MAX_ATTEMPTS })
    }

    fn read(&self) -> String {
        self.doc.get_cloned().unwrap_or_else(|p| p.into_inner()).text
    }
}
