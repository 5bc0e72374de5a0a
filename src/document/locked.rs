//! Fix 1: the whole open-edit-save under one lock.
//!
//! Lecture section *GIL*: "make the second user wait until the first has
//! finished with the document, and only then let them open it".
//!
//! Cost: one editor at a time, and readers wait behind every edit: an edit
//! that takes a user minutes (a human editing) would lock everyone out for
//! minutes. Fine for short edits; see `benches/document.rs`.

use super::{Document, EditError, Store};
use crate::sync::Mutex;

/// `Mutex<Document>` held for the whole edit.
#[derive(Debug)]
pub struct Locked {
    doc: Mutex<Document>,
}

impl Store for Locked {
    fn new(text: &str) -> Self {
        Locked {
            doc: Mutex::new(Document::new(text)).named("doc").traced(),
        }
    }

    fn edit(&self, change: &dyn Fn(&mut String)) -> Result<(), EditError> {
        let mut doc = self.doc.lock().unwrap_or_else(|p| p.into_inner());
        change(&mut doc.text);
        doc.version += 1;
        Ok(())
    }

    fn read(&self) -> String {
        self.doc.lock().unwrap_or_else(|p| p.into_inner()).text.clone()
    }
}
