// RIGHT: the value sits behind a mutex as an Option: unlocking after the write and locking before the read order them.
use racelab::sync::Mutex;

/// A value written once and published through a flag.
pub struct Mailbox {
    /// `Some` once sent: the flag and the value in one.
    slot: Mutex<Option<u64>>,
}

impl Mailbox {
    /// An empty mailbox.
    pub fn new() -> Self {
        Mailbox {
            slot: Mutex::new(None).named("slot"),
        }
    }

    /// Writes the value, then raises the flag. Call once.
    pub fn send(&self, value: u64) {
        *self.slot.lock().unwrap_or_else(|p| p.into_inner()) = Some(value);
    }

    /// The value, if the flag is up.
    pub fn receive(&self) -> Option<u64> {
        *self.slot.lock().unwrap_or_else(|p| p.into_inner())
    }
}
