//! The racy document store: open a copy, edit it, save it back over
//! whatever is there now.
//!
//! Lecture section *GIL*: the second user's save overwrites the first
//! user's work. Each open and each save is atomic on its own (the store
//! locks for each), yet the edit is not: between one user's open and save,
//! another user's save lands, unseen, and is then overwritten.
//!
//! Costs nothing, and loses edits.

use super::{Document, EditError, Store};
use crate::sync::Mutex;

/// Atomic opens and saves, racy edits.
#[derive(Debug)]
pub struct Racy {
    doc: Mutex<Document>,
}

impl Racy {
    fn open(&self) -> Document {
        self.doc.get_cloned().unwrap_or_else(|p| p.into_inner())
    }

    fn save(&self, doc: Document) {
        self.doc.set(doc).unwrap_or_else(|p| p.into_inner());
    }
}

impl Store for Racy {
    fn new(text: &str) -> Self {
        Racy {
            doc: Mutex::new(Document::new(text)).named("doc").traced(),
        }
    }

    fn edit(&self, change: &dyn Fn(&mut String)) -> Result<(), EditError> {
        let mut copy = self.open();
        change(&mut copy.text);
        copy.version += 1;
        // Whatever was saved since `open` is overwritten here.
        self.save(copy);
        Ok(())
    }

    fn read(&self) -> String {
        self.open().text
    }
}
