// RIGHT: a busy flag taken with compare_exchange (check and set in one step, Acquire) and released with Release.

use racelab::sync::atomic::{
    AtomicBool,
    Ordering::{Acquire, Relaxed, Release},
};
use racelab::sync::{hint, Mutex};

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
        while self.busy.compare_exchange(false, true, Acquire, Relaxed).is_err() {
            hint::spin_loop();
        }
        let mut copy = self.open();
        change(&mut copy);
        self.save(copy);
        self.busy.store(false, Release);
    }
}
