//! Lab 06 — Save only what you opened.
//!
//! The lecture's shared document (section *GIL*, race conditions): two users
//! edit one document online, and the second save overwrites the first. Here
//! nobody waits for anybody: each user opens a copy, edits it and saves it.
//! The store numbers its saves, so a save can tell whether someone else saved
//! since its copy was opened — if only it looked.
//!
//! Edit only this file. Check it with `racelab check 6`.

use std::fmt;

use racelab::sync::Mutex;

/// A document, and the number of saves that made it.
#[derive(Clone)]
pub struct Document {
    pub text: String,
    pub version: u64,
}

impl fmt::Debug for Document {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:?} v{}", self.text, self.version)
    }
}

/// A save refused: someone else saved since the copy was opened.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Conflict;

/// One shared document.
pub struct Store {
    doc: Mutex<Document>,
}

impl Store {
    pub fn new(text: &str) -> Self {
        let (text, version) = (text.to_owned(), 0);
        Store {
            doc: Mutex::new(Document { text, version }).named("doc").traced(),
        }
    }

    /// A copy of the document as it is now.
    pub fn open(&self) -> Document {
        self.doc.get_cloned().unwrap_or_else(|p| p.into_inner())
    }

    /// Saves `doc`, a copy that was opened at `doc.version`.
    pub fn save(&self, doc: Document) -> Result<(), Conflict> {
        // TODO: this writes over whatever is saved now, even a save made by
        // someone else after `doc` was opened: their edit silently vanishes.
        let (text, version) = (doc.text, doc.version + 1);
        self.doc
            .set(Document { text, version })
            .unwrap_or_else(|p| p.into_inner());
        Ok(())
    }

    /// One user's edit: open, change, save. An error means the edit was not saved.
    pub fn edit(&self, change: impl Fn(&mut String)) -> Result<(), Conflict> {
        // TODO: once `save` can refuse, an edit that lost the race must not be lost.
        let mut doc = self.open();
        change(&mut doc.text);
        self.save(doc)
    }
}
