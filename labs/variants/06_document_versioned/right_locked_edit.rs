// RIGHT: the edit holds the document's lock from the open to the save and bumps the version; save still refuses stale copies.

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

    /// Saves `doc`, a copy that was opened at `doc.version`, only if nobody
    /// saved since: compared and written under one lock.
    pub fn save(&self, doc: Document) -> Result<(), Conflict> {
        let mut saved = self.doc.lock().unwrap_or_else(|p| p.into_inner());
        if saved.version != doc.version {
            return Err(Conflict);
        }
        *saved = Document {
            text: doc.text,
            version: doc.version + 1,
        };
        Ok(())
    }

    /// One user's edit, under the lock from the open to the save: nobody
    /// can save in between, so it never conflicts.
    pub fn edit(&self, change: impl Fn(&mut String)) -> Result<(), Conflict> {
        let mut doc = self.doc.lock().unwrap_or_else(|p| p.into_inner());
        change(&mut doc.text);
        doc.version += 1;
        Ok(())
    }
}
