// RIGHT: readers share a read lock once the value is there; the first writer re-checks under the write lock and initialises.

use racelab::sync::RwLock;

/// A value computed on first use.
pub struct Lazy {
    value: RwLock<Option<u64>>,
}

impl Lazy {
    pub fn new() -> Self {
        Lazy {
            value: RwLock::new(None).named("value"),
        }
    }

    /// The value, computed by `init` if nobody has computed it yet.
    pub fn get(&self, init: impl FnOnce() -> u64) -> u64 {
        if let Some(v) = *self.value.read().unwrap_or_else(|p| p.into_inner()) {
            return v;
        }
        // Someone may have initialised it between the two locks: check again.
        *self
            .value
            .write()
            .unwrap_or_else(|p| p.into_inner())
            .get_or_insert_with(init)
    }
}
