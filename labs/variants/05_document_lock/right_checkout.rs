// RIGHT: users check the document out (a flag under a mutex) and wait on a condvar while someone else has it.

use racelab::sync::{Condvar, Mutex};

/// One shared document that several users edit at once.
#[derive(Debug)]
pub struct Store {
    text: Mutex<String>,
    checked_out: Mutex<bool>,
    returned: Condvar,
}

impl Store {
    /// A store holding one document with `text`.
    pub fn new(text: &str) -> Self {
        Store {
            text: Mutex::new(text.to_owned()).named("doc").traced(),
            checked_out: Mutex::new(false).named("checked_out"),
            returned: Condvar::new().named("returned"),
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
        {
            let out = self.checked_out.lock().unwrap();
            let mut out = self.returned.wait_while(out, |out| *out).unwrap();
            *out = true;
        }
        let mut copy = self.open();
        change(&mut copy);
        self.save(copy);
        *self.checked_out.lock().unwrap() = false;
        self.returned.notify_all();
    }
}
