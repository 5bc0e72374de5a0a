//! Fix 3: a readers-writer lock — any number of readers at once, or one
//! writer alone.
//!
//! Lecture section *GIL* (the shared document): many people read a
//! document, few edit it. Readers share the read lock; an edit takes the
//! write lock for the whole open-edit-save, so no reader ever sees a
//! half-applied edit (here an edit writes the text, then bumps the version).
//!
//! Cost: more bookkeeping per lock than a mutex, and writers wait for every
//! reader to leave (or readers for writers, by policy). It pays off when
//! reads dominate and take long enough: `benches/document.rs` compares it
//! with `locked` at 90/10 and 50/50 read/write mixes.

use super::{Document, EditError, Store};
use crate::sync::RwLock;

/// `RwLock<Document>`: shared reads, exclusive edits.
#[derive(Debug)]
pub struct ReadWrite {
    doc: RwLock<Document>,
}

impl Store for ReadWrite {
    fn new(text: &str) -> Self {
        ReadWrite {
            doc: RwLock::new(Document::new(text)).named("doc"),
        }
    }

    fn edit(&self, change: &dyn Fn(&mut String)) -> Result<(), EditError> {
        let mut doc = self.doc.write().unwrap_or_else(|p| p.into_inner());
        change(&mut doc.text);
        doc.version += 1;
        Ok(())
    }

    fn read(&self) -> String {
        self.doc.read().unwrap_or_else(|p| p.into_inner()).text.clone()
    }
}
