// RIGHT: an edit first checks the document out (a flag under a mutex, a condvar to wait), so edits never conflict.

use std::fmt;

use racelab::sync::{Condvar, Mutex};

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
    checked_out: Mutex<bool>,
    returned: Condvar,
}

impl Store {
    pub fn new(text: &str) -> Self {
        let (text, version) = (text.to_owned(), 0);
        Store {
            doc: Mutex::new(Document { text, version }).named("doc").traced(),
            checked_out: Mutex::new(false).named("checked_out"),
            returned: Condvar::new().named("returned"),
        }
    }

    /// A copy of the document as it is now.
    pub fn open(&self) -> Document {
        self.doc.get_cloned().unwrap_or_else(|p| p.into_inner())
    }

    /// Saves `doc`, a copy that was opened at `doc.version`, only if nobody
    /// saved since.
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

    /// One user's edit: wait for the document, check it out, open, change,
    /// save, return it.
    pub fn edit(&self, change: impl Fn(&mut String)) -> Result<(), Conflict> {
        {
            let out = self.checked_out.lock().unwrap_or_else(|p| p.into_inner());
            let mut out = self
                .returned
                .wait_while(out, |out| *out)
                .unwrap_or_else(|p| p.into_inner());
            *out = true;
        }
        let mut doc = self.open();
        change(&mut doc.text);
        let saved = self.save(doc);
        *self.checked_out.lock().unwrap_or_else(|p| p.into_inner()) = false;
        self.returned.notify_all();
        saved
    }
}
