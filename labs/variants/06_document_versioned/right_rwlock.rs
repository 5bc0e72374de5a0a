// RIGHT: an RwLock: opens share the read lock, save compares versions under the write lock, and edit retries until saved.

use std::fmt;

use racelab::sync::RwLock;

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
    doc: RwLock<Document>,
}

impl Store {
    pub fn new(text: &str) -> Self {
        let (text, version) = (text.to_owned(), 0);
        Store {
            doc: RwLock::new(Document { text, version }).named("doc"),
        }
    }

    /// A copy of the document as it is now.
    pub fn open(&self) -> Document {
        self.doc.read().unwrap_or_else(|p| p.into_inner()).clone()
    }

    /// Saves `doc`, a copy that was opened at `doc.version`, only if nobody
    /// saved since.
    pub fn save(&self, doc: Document) -> Result<(), Conflict> {
        let mut saved = self.doc.write().unwrap_or_else(|p| p.into_inner());
        if saved.version != doc.version {
            return Err(Conflict);
        }
        *saved = Document {
            text: doc.text,
            version: doc.version + 1,
        };
        Ok(())
    }

    /// One user's edit: open, change, save; on a conflict, open the newer
    /// document and redo the change. A conflict means someone else's save
    /// went through, so this always ends.
    pub fn edit(&self, change: impl Fn(&mut String)) -> Result<(), Conflict> {
        loop {
            let mut doc = self.open();
            change(&mut doc.text);
            if self.save(doc).is_ok() {
                return Ok(());
            }
        }
    }
}
