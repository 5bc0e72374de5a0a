// WRONG: the version is compared in one lock and the document written in another, so two saves of v0 copies can both pass.

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

    /// Saves `doc`, a copy that was opened at `doc.version`, only if nobody saved since.
    pub fn save(&self, doc: Document) -> Result<(), Conflict> {
        if self.open().version != doc.version {
            return Err(Conflict);
        }
        let (text, version) = (doc.text, doc.version + 1);
        self.doc
            .set(Document { text, version })
            .unwrap_or_else(|p| p.into_inner());
        Ok(())
    }

    /// One user's edit: open, change, save; on a conflict, start again.
    pub fn edit(&self, change: impl Fn(&mut String)) -> Result<(), Conflict> {
        for _ in 0..8 {
            let mut doc = self.open();
            change(&mut doc.text);
            if self.save(doc).is_ok() {
                return Ok(());
            }
        }
        Err(Conflict)
    }
}
