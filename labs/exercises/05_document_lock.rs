//! Lab 05 — Two editors, one document.
//!
//! The lecture's own example of a race (section GIL): two users edit the same
//! document online at the same time, the second one saves, and the first
//! one's work is gone. This store locks the document for every open and for
//! every save, and still an edit can vanish.
//!
//! Edit only this file. Check it with `racelab check 5`.

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
    /// (a `store` in timelines).
    pub fn save(&self, text: String) {
        self.text.set(text).unwrap();
    }

    /// One user's edit: open the document, apply `change` to it, save it.
    pub fn edit(&self, change: impl Fn(&mut String)) {
        let mut copy = self.open();
        change(&mut copy);
        // TODO: between the open and this save, another user can save their
        // own edit; this save then writes over it with a copy that never saw it.
        self.save(copy);
    }
}
