// WRONG: each `lock()` guard is a temporary dropped at the end of its statement, so the edit between them is unlocked.

use racelab::sync::Mutex;

/// One shared document that several users edit at once.
#[derive(Debug)]
pub struct Store {
    text: Mutex<String>,
}

impl Store {
    /// A store holding one document with `text`.
    pub fn new(text: &str) -> Self {
        Store {
            text: Mutex::new(text.to_owned()).named("doc").traced(),
        }
    }

    /// A copy of the document as it is now.
    pub fn open(&self) -> String {
        self.text.get_cloned().unwrap()
    }

    /// Replaces the document with `text`.
    #[allow(dead_code)]
    pub fn save(&self, text: String) {
        self.text.set(text).unwrap();
    }

    /// One user's edit: open the document, apply `change` to it, save it.
    pub fn edit(&self, change: impl Fn(&mut String)) {
        let mut copy = self.text.lock().unwrap().clone();
        change(&mut copy);
        *self.text.lock().unwrap() = copy;
    }
}
