// WRONG: a "busy" flag that is checked, then set, in two steps: both users can see it free and edit at once.

use racelab::sync::atomic::{AtomicBool, Ordering::SeqCst};
use racelab::sync::{thread, Mutex};

/// One shared document that several users edit at once.
#[derive(Debug)]
pub struct Store {
    text: Mutex<String>,
    busy: AtomicBool,
}

impl Store {
    /// A store holding one document with `text`.
    pub fn new(text: &str) -> Self {
        Store {
            text: Mutex::new(text.to_owned()).named("doc").traced(),
            busy: AtomicBool::new(false).named("busy"),
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
        while self.busy.load(SeqCst) {
            thread::yield_now();
        }
        self.busy.store(true, SeqCst);
        let mut copy = self.open();
        change(&mut copy);
        self.save(copy);
        self.busy.store(false, SeqCst);
    }
}
