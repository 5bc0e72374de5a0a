// WRONG: 0 stands for "not computed yet", so when init returns 0 every caller runs init again.

use racelab::sync::Mutex;

/// A value computed on first use.
pub struct Lazy {
    value: Mutex<u64>,
}

impl Lazy {
    pub fn new() -> Self {
        Lazy {
            value: Mutex::new(0).named("value").traced(),
        }
    }

    /// The value, computed by `init` if nobody has computed it yet.
    pub fn get(&self, init: impl FnOnce() -> u64) -> u64 {
        let mut value = self.value.lock().unwrap_or_else(|p| p.into_inner());
        if *value == 0 {
            *value = init();
        }
        *value
    }
}
