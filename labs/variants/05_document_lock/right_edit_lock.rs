// RIGHT: a second mutex, held from the open to the save, lets one editor at a time through; open and save stay as they were.

use racelab::sync::Mutex;

/// One shared document that several users edit at once.
#[derive(Debug)]
pub struct Store {
    text: Mutex<String>,
    editing: Mutex<()>,
}

impl Store {
    /// A store holding one document with `text`.
    pub fn new(text: &str) -> Self {
        Store {
            text: Mutex::new(text.to_owned()).named("doc").traced(),
            editing: Mutex::new(()).named("editing"),
        }
    }

    /// A copy of the document as it is now.
    pub fn open(&self) -> String {
        self.text.get_cloned().unwrap()
    }

    /// Replaces the document with `text`.
    pub fn save(&self, text: String) {
        self.text.set(text).unwrap();
    }

    /// One user's edit: open the document, apply `change` to it, save it.
    pub fn edit(&self, change: impl Fn(&mut String)) {
        let _editing = self.editing.lock().unwrap();
        let mut copy = self.open();
        change(&mut copy);
        self.save(copy);
    }
}
