// RIGHT: the whole edit runs under the write lock of an RwLock, so a second editor waits while readers can still share.

use racelab::sync::RwLock;

/// One shared document that several users edit at once.
#[derive(Debug)]
pub struct Store {
    text: RwLock<String>,
}

impl Store {
    /// A store holding one document with `text`.
    pub fn new(text: &str) -> Self {
        Store {
            text: RwLock::new(text.to_owned()).named("doc"),
        }
    }

    /// A copy of the document as it is now.
    pub fn open(&self) -> String {
        self.text.read().unwrap().clone()
    }

    /// Replaces the document with `text`.
    #[allow(dead_code)]
    pub fn save(&self, text: String) {
        *self.text.write().unwrap() = text;
    }

    /// One user's edit: open the document, apply `change` to it, save it.
    pub fn edit(&self, change: impl Fn(&mut String)) {
        change(&mut self.text.write().unwrap());
    }
}
