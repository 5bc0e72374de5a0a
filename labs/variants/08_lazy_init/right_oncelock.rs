// RIGHT: OnceLock::get_or_init runs init in exactly one caller and makes the others wait for its value.

use racelab::sync::OnceLock;

/// A value computed on first use.
pub struct Lazy {
    value: OnceLock<u64>,
}

impl Lazy {
    pub fn new() -> Self {
        Lazy {
            value: OnceLock::new().named("value"),
        }
    }

    /// The value, computed by `init` if nobody has computed it yet.
    pub fn get(&self, init: impl FnOnce() -> u64) -> u64 {
        *self.value.get_or_init(init)
    }
}
