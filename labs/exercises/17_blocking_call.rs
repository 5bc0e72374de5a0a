//! Lab 17 — One blocking call stops every task.
//!
//! The lecture's section on asyncio: "instead of the usual `time.sleep` we
//! used `asyncio.sleep`, a non-blocking sleep: it does not stop the
//! interpreter as a whole". A chat server answers every client from one
//! thread (a current-thread tokio runtime); one of its tasks has to wait
//! for a slow backup service before it replies. While it waits, the
//! server's heartbeat task must keep beating, or every client times out.
//!
//! Edit only this file. Check it with `racelab check 17`.

use std::time::Duration;

/// Waits `delay` for the backup service (here, the wait is all it does).
pub async fn wait_for_backup(delay: Duration) {
    // TODO: this blocks the runtime's only thread for the whole wait: no
    // other task (the heartbeat included) can run until it returns.
    std::thread::sleep(delay);
}
