//! Lab 05 — reference solution: the whole open-edit-save under one lock.

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
            // `traced`: timelines show the text each access finds and leaves.
            text: Mutex::new(text.to_owned()).named("doc").traced(),
        }
    }

    /// A copy of the document as it is now: locks, copies, unlocks
    /// (a `load` in timelines).
    pub fn open(&self) -> String {
        self.text.get_cloned().unwrap()
    }

    /// Replaces the document with `text`: locks, replaces, unlocks
    /// (a `store` in timelines). `edit` no longer needs it; the check does
    /// not call it either, hence the `allow`.
    #[allow(dead_code)]
    pub fn save(&self, text: String) {
        self.text.set(text).unwrap();
    }

    /// One user's edit: open the document, apply `change` to it, save it.
    pub fn edit(&self, change: impl Fn(&mut String)) {
        // The second user waits here until the first has saved: the lock is
        // held from the open to the save, and released when `text` is dropped.
        let mut text = self.text.lock().unwrap();
        change(&mut text);
    }
}
