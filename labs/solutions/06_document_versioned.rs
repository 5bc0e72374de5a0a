//! Lab 06 — reference solution: save is a compare-and-swap on the version; edit retries, a bounded number of times.

use std::fmt;

use racelab::sync::Mutex;

/// Saves an edit tries before it gives up with a `Conflict`.
const MAX_ATTEMPTS: u32 = 8;

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
    /// saved since: the check and the write happen under one lock.
    pub fn save(&self, doc: Document) -> Result<(), Conflict> {
        let mut saved = self.doc.lock().unwrap_or_else(|p| p.into_inner());
        if saved.version != doc.version {
            return Err(Conflict);
        }
        let (text, version) = (doc.text, doc.version + 1);
        *saved = Document { text, version };
        Ok(())
    }

    /// One user's edit: open, change, save; on a conflict, open the newer
    /// document and redo the change. An error means the edit was not saved.
    pub fn edit(&self, change: impl Fn(&mut String)) -> Result<(), Conflict> {
        for _ in 0..MAX_ATTEMPTS {
            let mut doc = self.open();
            change(&mut doc.text);
            match self.save(doc) {
                Ok(()) => return Ok(()),
                Err(Conflict) => continue,
            }
        }
        Err(Conflict)
    }
}
