// RIGHT: saves are serialised by a swap-based spin lock (swap(true, Acquire) / store(false, Release)); inside it, the version is compared and the document written; edit retries with a fresh copy.
use std::fmt;

use racelab::sync::atomic::{AtomicBool, Ordering::{Acquire, Release}};
use racelab::sync::{hint, Mutex};

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

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Conflict;

pub struct Store {
    doc: Mutex<Document>,
    saving: AtomicBool,
}

impl Store {
    pub fn new(text: &str) -> Self {
        let (text, version) = (text.to_owned(), 0);
        Store {
            doc: Mutex::new(Document { text, version }).named("doc").traced(),
            saving: AtomicBool::new(false).named("saving"),
        }
    }

    pub fn open(&self) -> Document {
        self.doc.get_cloned().unwrap_or_else(|p| p.into_inner())
    }

    pub fn save(&self, doc: Document) -> Result<(), Conflict> {
        while self.saving.swap(true, Acquire) {
            hint::spin_loop();
        }
        let result = if self.open().version == doc.version {
            let (text, version) = (doc.text, doc.version + 1);
            self.doc.set(Document { text, version }).unwrap_or_else(|p| p.into_inner());
            Ok(())
        } else {
            Err(Conflict)
        };
        self.saving.store(false, Release);
        result
    }

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
