//! Lab 08 — reference solution: one lock held across the check and the initialisation.

use racelab::sync::Mutex;

/// A value computed on first use.
pub struct Lazy {
    value: Mutex<Option<u64>>,
}

impl Lazy {
    pub fn new() -> Self {
        Lazy {
            value: Mutex::new(None).named("value").traced(),
        }
    }

    /// The value, computed by `init` if nobody has computed it yet.
    pub fn get(&self, init: impl FnOnce() -> u64) -> u64 {
        // Whoever holds the lock and finds `None` initialises; anyone else
        // waits for the lock and then finds the value.
        let mut value = self.value.lock().unwrap_or_else(|p| p.into_inner());
        *value.get_or_insert_with(init)
    }
}
