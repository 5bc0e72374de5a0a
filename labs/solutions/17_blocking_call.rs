//! Lab 17 — reference solution: an async sleep, which suspends only this
//! task. (For a blocking call that has no async form, blocking file I/O or
//! a long computation, move it to tokio's blocking pool instead:
//! `tokio::task::spawn_blocking(move || std::thread::sleep(delay)).await`.)

use std::time::Duration;

/// Waits `delay` for the backup service (here, the wait is all it does).
pub async fn wait_for_backup(delay: Duration) {
    tokio::time::sleep(delay).await;
}
