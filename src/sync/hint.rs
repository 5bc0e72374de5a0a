//! `hint::spin_loop`: a CPU hint on hardware, a yield under the model
//! backends (a spin loop that never yields would never let the thread it
//! waits for run, and the model would report a step limit).

use super::backend::{self, Backend};

/// Signals a spin-wait iteration.
pub fn spin_loop() {
    crate::trace::yielded();
    match backend::current() {
        Backend::Hardware => std::hint::spin_loop(),
        #[cfg(feature = "shuttle")]
        Backend::Shuttle => shuttle::hint::spin_loop(),
        #[cfg(feature = "loom")]
        // Every other turn only (see `trace::yield_turn`): loom would
        // otherwise never let a spinner retry at once.
        Backend::Loom => {
            if crate::trace::yield_turn() {
                loom::hint::spin_loop()
            }
        }
        #[allow(unreachable_patterns)]
        other => unreachable!("backend {other} is not in this build"),
    }
}
