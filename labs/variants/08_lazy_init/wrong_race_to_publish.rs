// WRONG: every thread that finds no value runs init and only the first result is kept, so init can run more than once.

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
        if let Some(v) = *self.value.lock().unwrap_or_else(|p| p.into_inner()) {
            return v;
        }
        // Computed without the lock held, so a slow init blocks nobody.
        let mine = init();
        *self.value.lock().unwrap_or_else(|p| p.into_inner()).get_or_insert(mine)
    }
}
