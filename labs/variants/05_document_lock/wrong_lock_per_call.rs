// WRONG: the mutex is created inside `edit`, so every user locks a lock of their own and nobody ever waits.

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
    pub fn save(&self, text: String) {
        self.text.set(text).unwrap();
    }

    /// One user's edit: open the document, apply `change` to it, save it.
    pub fn edit(&self, change: impl Fn(&mut String)) {
        let editing = Mutex::new(()).named("editing");
        let _guard = editing.lock().unwrap();
        let mut copy = self.open();
        change(&mut copy);
        self.save(copy);
    }
}
