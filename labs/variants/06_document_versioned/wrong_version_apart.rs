// WRONG: a separate atomic version is claimed before the text is written, so an open can pair the new version with old text.

use std::fmt;

use racelab::sync::atomic::{AtomicU64, Ordering::SeqCst};
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
    text: Mutex<String>,
    version: AtomicU64,
}

impl Store {
    pub fn new(text: &str) -> Self {
        Store {
            text: Mutex::new(text.to_owned()).named("text").traced(),
            version: AtomicU64::new(0).named("version"),
        }
    }

    /// A copy of the document as it is now.
    pub fn open(&self) -> Document {
        let version = self.version.load(SeqCst);
        let text = self.text.get_cloned().unwrap_or_else(|p| p.into_inner());
        Document { text, version }
    }

    /// Saves `doc`, a copy that was opened at `doc.version`, only if nobody saved since.
    pub fn save(&self, doc: Document) -> Result<(), Conflict> {
        // Lock-free: whoever moves the version on from the one it opened may write.
        self.version
            .compare_exchange(doc.version, doc.version + 1, SeqCst, SeqCst)
            .map_err(|_| Conflict)?;
        self.text.set(doc.text).unwrap_or_else(|p| p.into_inner());
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
